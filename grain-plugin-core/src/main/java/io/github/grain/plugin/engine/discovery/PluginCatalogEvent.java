package io.github.grain.plugin.engine.discovery;

import org.jspecify.annotations.Nullable;

/**
 * A change to the plugins a {@link PluginCatalog} serves.
 */
public sealed interface PluginCatalogEvent {

	/** The plugin's name. */
	String name();

	/** A plugin that was not served before now is: a new directory, or a plugin registered from bytes. */
	record Loaded(PluginReport report) implements PluginCatalogEvent {
		@Override
		public String name() {
			return this.report.name();
		}
	}

	/** A new version of a plugin serves from now on; calls in flight finish on the previous one. */
	record Replaced(PluginReport previous, PluginReport current) implements PluginCatalogEvent {
		@Override
		public String name() {
			return this.current.name();
		}
	}

	/** A plugin is no longer served (its directory was removed, or it was unloaded by name). */
	record Unloaded(PluginReport previous) implements PluginCatalogEvent {
		@Override
		public String name() {
			return this.previous.name();
		}
	}

	/**
	 * A load or reload failed.
	 * @param failed the failed report, with its error
	 * @param stillServing the version that keeps serving, when a reload failed
	 */
	record Failed(PluginReport failed, @Nullable PluginReport stillServing) implements PluginCatalogEvent {
		@Override
		public String name() {
			return this.failed.name();
		}
	}

}
