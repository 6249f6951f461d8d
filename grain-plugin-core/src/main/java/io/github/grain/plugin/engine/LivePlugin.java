package io.github.grain.plugin.engine;

import java.util.Objects;

/**
 * The version of a plugin that serves now. A reload swaps the version in one step; a call
 * that reached the previous version just as it closed runs again on the new one, so no
 * call is dropped by a reload.
 */
public final class LivePlugin {

	private volatile LoadedPlugin current;

	public LivePlugin(LoadedPlugin current) {
		this.current = Objects.requireNonNull(current, "current");
	}

	/** The version serving now. */
	public LoadedPlugin current() {
		return this.current;
	}

	/**
	 * Serve another version from now on.
	 * @param next the new version
	 * @return the version it replaces
	 */
	public LoadedPlugin swap(LoadedPlugin next) {
		LoadedPlugin previous = this.current;
		this.current = Objects.requireNonNull(next, "next");
		return previous;
	}

	/**
	 * Run a call on the version serving now; if that version closed under the call because
	 * a newer one replaced it, run it again on the newer one.
	 */
	public <T> T call(java.util.function.Function<LoadedPlugin, T> call) {
		while (true) {
			LoadedPlugin plugin = this.current;
			try {
				return call.apply(plugin);
			}
			catch (PluginClosedException ex) {
				if (this.current == plugin) {
					throw ex;
				}
			}
		}
	}

}
