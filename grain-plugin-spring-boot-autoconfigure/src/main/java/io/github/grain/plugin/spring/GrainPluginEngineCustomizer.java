package io.github.grain.plugin.spring;

import io.github.grain.plugin.engine.PluginEngineOptions;

/**
 * Adjusts the options of the auto-configured {@link io.github.grain.plugin.engine.PluginEngine}
 * after {@code grain.plugins.*} has been applied, for what properties cannot express (a
 * different HTTP gateway for guests, a computed limit). Customizers run in
 * {@link org.springframework.core.Ordered order}; each receives what the previous one
 * returned.
 */
@FunctionalInterface
public interface GrainPluginEngineCustomizer {

	/**
	 * @param options the options so far
	 * @return the options to use (the same instance when nothing changes)
	 */
	PluginEngineOptions customize(PluginEngineOptions options);

}
