package io.github.grain.plugin.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.engine.discovery.PluginDirectoryWatcher;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the {@link PluginDirectoryWatcher} while the application context runs
 * ({@code grain.plugins.watch.enabled}).
 */
final class GrainPluginWatcher implements SmartLifecycle {

	private final PluginCatalog catalog;

	private final List<Path> directories;

	private final Duration debounce;

	private @Nullable PluginDirectoryWatcher watcher;

	GrainPluginWatcher(PluginCatalog catalog, List<Path> directories, Duration debounce) {
		this.catalog = catalog;
		this.directories = directories;
		this.debounce = debounce;
	}

	@Override
	public synchronized void start() {
		try {
			PluginDirectoryWatcher watcher = new PluginDirectoryWatcher(this.catalog, this.directories, this.debounce);
			watcher.start();
			this.watcher = watcher;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("grain.plugins.watch.enabled: the plugin directories cannot be watched", ex);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.watcher != null) {
			this.watcher.close();
			this.watcher = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.watcher != null;
	}

}
