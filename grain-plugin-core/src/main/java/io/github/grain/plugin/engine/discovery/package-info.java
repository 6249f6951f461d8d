/**
 * Finding plugins on disk and loading them: {@code <dir>/<name>/plugin.toml} manifests
 * (CONTRACT §2), merged with the application's per-plugin settings into a
 * {@link io.github.grain.plugin.engine.PluginSpec}, loaded by the engine, and reported
 * one by one in a {@link io.github.grain.plugin.engine.discovery.PluginCatalog} so a
 * plugin that fails does not stop the others.
 */
@NullMarked
package io.github.grain.plugin.engine.discovery;

import org.jspecify.annotations.NullMarked;
