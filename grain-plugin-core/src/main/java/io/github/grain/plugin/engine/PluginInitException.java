package io.github.grain.plugin.engine;

/**
 * A plugin's {@code init} returned {@code err}: the plugin refuses to run.
 */
public class PluginInitException extends GrainPluginException {

	public PluginInitException(String message) {
		super(message);
	}

}
