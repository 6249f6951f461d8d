package io.github.grain.plugin.engine;

/**
 * Loads plugins and owns the runtime they run on. One engine serves many plugins;
 * close it to release every native resource.
 */
public final class PluginEngine implements AutoCloseable {

	private final PluginEngineOptions options;

	public PluginEngine(PluginEngineOptions options) {
		this.options = options;
	}

	public PluginEngineOptions options() {
		return this.options;
	}

	/**
	 * Compile, link and initialise a plugin; read its tools (and roles and hooks).
	 * @param spec the plugin
	 * @return the loaded plugin
	 * @throws GrainPluginException naming the plugin when it cannot be loaded
	 */
	public LoadedPlugin load(PluginSpec spec) {
		throw new UnsupportedOperationException("not yet implemented");
	}

	@Override
	public void close() {
	}

}
