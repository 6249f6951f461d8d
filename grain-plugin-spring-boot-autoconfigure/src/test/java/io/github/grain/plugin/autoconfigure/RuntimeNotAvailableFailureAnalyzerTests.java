package io.github.grain.plugin.autoconfigure;

import io.github.grain.plugin.engine.WasmRuntimeKind;
import io.github.grain.plugin.engine.runtime.WasmRuntimes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application configured for the Chicory runtime without its artifact. Run by its own
 * surefire execution, whose class path leaves {@code grain-plugin-runtime-chicory} out.
 */
@ExtendWith(OutputCaptureExtension.class)
class RuntimeNotAvailableFailureAnalyzerTests {

	@Test
	void aRuntimeWhoseArtifactIsMissingNamesTheArtifactAndTheRuntimeThatIsThere(CapturedOutput output) {
		assertThat(WasmRuntimes.isAvailable(WasmRuntimeKind.CHICORY)).as("Chicory left off the class path").isFalse();
		assertThat(StartupFailures.report(output, new Class<?>[0], "grain.plugins.runtime=chicory"))
			.contains("Plugins are to run on the WebAssembly runtime 'chicory' (grain.plugins.runtime), but its "
					+ "artifact io.github.grain:grain-plugin-runtime-chicory is not on the class path.")
			.contains("Add the dependency io.github.grain:grain-plugin-runtime-chicory to the application, or set "
					+ "grain.plugins.runtime to a runtime that is present: wasmtime.");
	}

}
