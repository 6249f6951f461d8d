package io.github.grain.plugin.autoconfigure;

import io.github.grain.plugin.spring.ai.GrainToolCallbackProvider;
import io.github.grain.plugin.spring.ai.SpringAiToolImporter;
import io.github.grain.plugin.tool.ToolJson;
import io.github.grain.plugin.tool.ToolRegistry;

import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Spring AI integration, when {@code spring-ai-model} is on the class path: every
 * registry tool as a Spring AI {@code ToolCallback} through one live
 * {@link GrainToolCallbackProvider} bean (give it to a {@code ChatClient} with
 * {@code .toolCallbacks(provider)}), and, with
 * {@code grain.plugins.spring-ai.import-tool-callbacks=true}, the application's Spring AI
 * tools imported into the registry.
 */
@AutoConfiguration(after = GrainPluginsAutoConfiguration.class)
@ConditionalOnClass(ToolCallbackProvider.class)
@ConditionalOnBean(ToolRegistry.class)
@ConditionalOnBooleanProperty(name = "grain.plugins.spring-ai.enabled", matchIfMissing = true)
@EnableConfigurationProperties(GrainSpringAiProperties.class)
public final class GrainSpringAiAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	GrainToolCallbackProvider grainToolCallbackProvider(ToolRegistry toolRegistry) {
		return new GrainToolCallbackProvider(toolRegistry);
	}

	@Bean
	@ConditionalOnBooleanProperty("grain.plugins.spring-ai.import-tool-callbacks")
	static SpringAiToolImporter grainSpringAiToolImporter() {
		return new SpringAiToolImporter(ToolJson.newMapper());
	}

}
