package io.github.grain.plugin.examples;

import java.nio.file.Files;
import java.nio.file.Path;

import io.github.grain.plugin.engine.Fixtures;
import io.github.grain.plugin.engine.wit.ToolCallResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's "Without Spring" example runs as written, with no Spring on the class path. */
@Tag("runtime")
class WithoutSpringTests {

	@Test
	void theReadmeExampleLoadsAPluginAndCallsATool(@TempDir Path dir) throws Exception {
		Path wasm = Files.write(dir.resolve("plugin.wasm"), Fixtures.bytes("core/v1-legacy.wasm"));
		assertThat(WithoutSpring.callEcho(wasm, "{\"text\":\"hi\"}"))
			.isEqualTo(new ToolCallResult("{\"text\":\"hi\"}", false));
		assertThat(getClass().getClassLoader().getResource("org/springframework/core/SpringVersion.class")).isNull();
	}

}
