package io.github.grain.plugin.sample;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import io.github.grain.plugin.autoconfigure.GrainPluginsProperties;
import io.github.grain.plugin.engine.WasmRuntimeKind;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole sample-application suite again, with the plugins on the Chicory runtime.
 */
@TestPropertySource(properties = "grain.plugins.runtime=chicory")
class GrainSampleApplicationOnChicoryTests extends GrainSampleApplicationTests {

	@Autowired
	GrainPluginsProperties properties;

	@Test
	void pluginsRunOnChicory() {
		assertThat(this.properties.getRuntime()).isEqualTo(WasmRuntimeKind.CHICORY);
	}

	@Override
	protected String expectedRuntime() {
		return "chicory";
	}

}
