package io.github.grain.plugin.autoconfigure;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Starts an application with the grain auto-configuration that must fail, and reads
 * Boot's failure report from the captured output.
 */
final class StartupFailures {

	private StartupFailures() {
	}

	/**
	 * Start and fail.
	 * @param output the test's captured output
	 * @param configurations user configurations besides the auto-configuration
	 * @param properties {@code name=value} pairs
	 * @return Boot's "APPLICATION FAILED TO START" report and what follows it
	 */
	static String report(CapturedOutput output, Class<?>[] configurations, String... properties) {
		Class<?>[] sources = new Class<?>[configurations.length + 1];
		sources[0] = GrainPluginsOnly.class;
		System.arraycopy(configurations, 0, sources, 1, configurations.length);
		assertThatException().isThrownBy(
				() -> new SpringApplicationBuilder(sources).web(WebApplicationType.NONE).properties(properties).run().close());
		String all = output.getAll();
		int start = all.lastIndexOf("APPLICATION FAILED TO START");
		assertThat(start).as("Boot's failure report in:\n" + all).isNotNegative();
		return all.substring(start);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(GrainPluginsAutoConfiguration.class)
	static class GrainPluginsOnly {

	}

}
