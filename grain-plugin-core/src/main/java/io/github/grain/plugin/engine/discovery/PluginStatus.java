package io.github.grain.plugin.engine.discovery;

/**
 * Where a discovered plugin ended up.
 */
public enum PluginStatus {

	/** Loaded; its tools serve. */
	LOADED,

	/** Could not be read or loaded; see the report's error. */
	FAILED,

	/** Turned off by the application's settings. */
	DISABLED

}
