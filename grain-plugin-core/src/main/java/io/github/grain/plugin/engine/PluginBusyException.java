package io.github.grain.plugin.engine;

/**
 * A plugin already has as many calls in flight as it may: the call is refused at once
 * rather than queued, so one saturated plugin cannot hold up callers of the others.
 */
public class PluginBusyException extends GrainPluginException {

	public PluginBusyException(String message) {
		super(message);
	}

}
