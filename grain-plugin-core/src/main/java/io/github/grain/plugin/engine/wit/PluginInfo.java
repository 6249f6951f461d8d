package io.github.grain.plugin.engine.wit;

/**
 * WIT {@code plugin-info}, returned by a successful {@code init}.
 * @param name the plugin's own name
 * @param version the plugin's own version
 */
public record PluginInfo(String name, String version) {
}
