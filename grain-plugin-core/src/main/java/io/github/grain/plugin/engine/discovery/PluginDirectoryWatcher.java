package io.github.grain.plugin.engine.discovery;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Watches the plugin directories (each directory and the plugin directories in it) on a
 * thread of its own and, once changes have settled for the debounce period, asks the
 * catalog to {@link PluginCatalog#rescan() rescan}. A module still being written fails to
 * load and leaves the previous version serving; the write's next change triggers another
 * rescan.
 */
public final class PluginDirectoryWatcher implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(PluginDirectoryWatcher.class);

	private final PluginCatalog catalog;

	private final List<Path> directories;

	private final Duration debounce;

	private final WatchService watchService;

	private final Map<WatchKey, Path> watched = new HashMap<>();

	private final Thread thread;

	private volatile boolean running;

	/**
	 * @param catalog the catalog to keep in step with the directories
	 * @param directories the plugin directories (missing ones are watched once they appear)
	 * @param debounce how long changes must have settled before a rescan
	 * @throws IOException when the file system offers no watch service
	 */
	public PluginDirectoryWatcher(PluginCatalog catalog, List<Path> directories, Duration debounce)
			throws IOException {
		this.catalog = catalog;
		this.directories = List.copyOf(directories);
		this.debounce = debounce;
		this.watchService = FileSystems.getDefault().newWatchService();
		this.thread = new Thread(this::run, "grain-plugin-watcher");
		this.thread.setDaemon(true);
	}

	/** Start watching. */
	public void start() {
		this.running = true;
		registerAll();
		this.thread.start();
		logger.info("Watching plugin directories " + this.directories + " for changes");
	}

	private void run() {
		boolean dirty = false;
		while (this.running) {
			WatchKey key;
			try {
				key = this.watchService.poll(this.debounce.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException | ClosedWatchServiceException ex) {
				return;
			}
			if (key != null) {
				key.pollEvents();
				key.reset();
				dirty = true;
				registerAll();
				continue;
			}
			if (!dirty && !registerAll()) {
				continue;
			}
			dirty = false;
			try {
				List<PluginCatalogEvent> changes = this.catalog.rescan();
				if (!changes.isEmpty() && logger.isDebugEnabled()) {
					logger.debug("Plugin directories changed: " + changes);
				}
			}
			catch (RuntimeException | LinkageError ex) {
				// a broken engine or native library must not end the watching for good
				logger.error("Rescanning the plugin directories failed", ex);
			}
		}
	}

	/** Watch every directory and plugin directory not watched yet; whether any was added. */
	private synchronized boolean registerAll() {
		boolean added = false;
		for (Path directory : this.directories) {
			added |= register(directory);
			if (Files.isDirectory(directory)) {
				try (Stream<Path> children = Files.list(directory)) {
					for (Path child : (Iterable<Path>) children::iterator) {
						if (Files.isDirectory(child)) {
							added |= register(child);
						}
					}
				}
				catch (IOException ex) {
					logger.debug("Cannot list plugin directory " + directory + ": " + ex.getMessage());
				}
			}
		}
		return added;
	}

	private boolean register(Path directory) {
		if (!Files.isDirectory(directory) || this.watched.containsValue(directory)) {
			return false;
		}
		try {
			WatchKey key = directory.register(this.watchService, StandardWatchEventKinds.ENTRY_CREATE,
					StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
			this.watched.put(key, directory);
			this.watched.keySet().removeIf((existing) -> !existing.isValid());
			return true;
		}
		catch (IOException | ClosedWatchServiceException ex) {
			logger.debug("Cannot watch " + directory + ": " + ex.getMessage());
			return false;
		}
	}

	/** Stop watching; waits for a rescan in progress. */
	@Override
	public void close() {
		this.running = false;
		try {
			this.watchService.close();
		}
		catch (IOException ex) {
			logger.debug("Closing the watch service failed", ex);
		}
		joinQuietly(this.thread);
	}

	private static void joinQuietly(@Nullable Thread thread) {
		if (thread == null || thread == Thread.currentThread()) {
			return;
		}
		try {
			thread.join(TimeUnit.SECONDS.toMillis(30));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
