package io.github.grain.plugin.autoconfigure;

import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.grain.plugin.engine.WasmRuntimeKind;
import io.github.grain.plugin.engine.runtime.RuntimeNotAvailableException;
import io.github.grain.plugin.engine.runtime.WasmRuntimes;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * The runtime {@code grain.plugins.runtime} names is not on the class path: which artifact
 * to add, or which runtime is there instead.
 */
class RuntimeNotAvailableFailureAnalyzer extends AbstractFailureAnalyzer<RuntimeNotAvailableException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RuntimeNotAvailableException cause) {
		WasmRuntimeKind kind = cause.kind();
		String present = Stream.of(WasmRuntimeKind.values())
			.filter(WasmRuntimes::isAvailable)
			.map(WasmRuntimeKind::id)
			.collect(Collectors.joining(", "));
		String description = "Plugins are to run on the WebAssembly runtime '" + kind.id()
				+ "' (grain.plugins.runtime), but its artifact " + kind.artifact() + " is not on the class path.";
		String action = "Add the dependency " + kind.artifact() + " to the application"
				+ (present.isEmpty() ? "." : ", or set grain.plugins.runtime to a runtime that is present: " + present + ".");
		return new FailureAnalysis(description, action, cause);
	}

}
