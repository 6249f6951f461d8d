package io.github.grain.plugin.engine;

/**
 * A call reached a plugin after it was closed (unloaded, replaced, or the host shutting
 * down).
 */
public class PluginClosedException extends GrainPluginException {

	public PluginClosedException(String plugin) {
		super("plugin '" + plugin + "' is closed");
	}

}
