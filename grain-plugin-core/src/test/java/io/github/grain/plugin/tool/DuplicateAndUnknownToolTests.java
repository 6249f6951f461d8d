package io.github.grain.plugin.tool;

import io.github.grain.plugin.tool.DefaultToolRegistryTests.EchoTool;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the registry's refusals tell a caller (Spring Boot's failure analysis and the
 * sample app's problem details read these accessors).
 */
class DuplicateAndUnknownToolTests {

	@Test
	void aSecondToolOfOneNameIsRefusedNamingBothSources() {
		try (DefaultToolRegistry registry = DefaultToolRegistry.builder().build()) {
			registry.register(new EchoTool("echo", true, "wasm:first"));
			assertThatExceptionOfType(DuplicateToolException.class)
				.isThrownBy(() -> registry.register(new EchoTool("echo", true, "bean:second")))
				.withMessage("duplicate tool name 'echo': defined by wasm:first and by bean:second")
				.satisfies((ex) -> {
					assertThat(ex.toolName()).isEqualTo("echo");
					assertThat(ex.existingSource()).isEqualTo("wasm:first");
					assertThat(ex.newSource()).isEqualTo("bean:second");
				});
		}
	}

	@Test
	void aCallToAnUnknownToolNamesIt() {
		try (DefaultToolRegistry registry = DefaultToolRegistry.builder().build()) {
			assertThatExceptionOfType(UnknownToolException.class).isThrownBy(() -> registry.call("nope", "{}"))
				.withMessage("unknown tool 'nope'")
				.extracting(UnknownToolException::toolName)
				.isEqualTo("nope");
		}
	}

}
