package io.github.grain.plugin.engine.discovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.grain.plugin.engine.LivePlugin;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.UntrustedText;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Every plugin the host found, loaded or not, and the operations that change them while
 * the host runs: {@link #reload(String) reload} a plugin from its directory,
 * {@link #unload(String) unload} it, {@link #rescan() rescan} the directories (what the
 * directory watcher calls), or {@link #register register} one from bytes.
 * <p>
 * A new version is loaded beside the one serving and swapped in only once its
 * {@code init} succeeded; calls in flight finish on the previous version, which is closed
 * after them. A version that fails to load leaves the previous one serving. A loaded
 * plugin that cannot serve after all (its tool names are taken) is reported failed with
 * {@link #fail}. Listeners
 * hear of every change. Closing the catalog closes the loaded plugins and then the
 * resources it was given.
 * <p>
 * Calls never take the catalog's lock: they reach the serving version through its
 * {@link LivePlugin}, so a reload or rescan compiling for seconds under the lock (which keeps
 * changes in order) leaves every loaded plugin answering meanwhile.
 */
public final class PluginCatalog implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(PluginCatalog.class);

	private final Object lock = new Object();

	/** Guarded by {@link #lock}; replaced, never mutated, so readers need no lock. */
	private volatile Map<String, Entry> entries;

	private final List<AutoCloseable> resources;

	private final @Nullable PluginSource source;

	private final List<PluginCatalogListener> listeners = new CopyOnWriteArrayList<>();

	private boolean closed;

	/**
	 * A fixed catalog: nothing to reload from.
	 * @param reports one report per plugin
	 * @param resources closed after the plugins, in order
	 */
	public PluginCatalog(List<PluginReport> reports, List<? extends AutoCloseable> resources) {
		this(reports, resources, null);
	}

	/**
	 * @param reports one report per plugin, as the source loaded them
	 * @param resources closed after the plugins, in order
	 * @param source where plugins are found and loaded again, {@code null} for none
	 */
	public PluginCatalog(List<PluginReport> reports, List<? extends AutoCloseable> resources,
			@Nullable PluginSource source) {
		Map<String, Entry> entries = new LinkedHashMap<>();
		for (PluginReport report : reports) {
			entries.put(report.name(), Entry.of(report, fingerprint(report)));
		}
		this.entries = java.util.Collections.unmodifiableMap(entries);
		this.resources = new ArrayList<>(resources);
		this.source = source;
	}

	/** A catalog without plugins. */
	public static PluginCatalog empty() {
		return new PluginCatalog(List.of(), List.of());
	}

	/** Every plugin, in discovery order (plugins added later come last). */
	public List<PluginReport> plugins() {
		return this.entries.values().stream().map(Entry::report).toList();
	}

	/** The plugins that loaded. */
	public List<PluginReport> loaded() {
		return plugins().stream().filter((report) -> report.status() == PluginStatus.LOADED).toList();
	}

	/** The plugins that failed. */
	public List<PluginReport> failed() {
		return plugins().stream().filter((report) -> report.status() == PluginStatus.FAILED).toList();
	}

	/**
	 * Look a plugin up.
	 * @param name the plugin's name
	 * @return its report
	 */
	public Optional<PluginReport> find(String name) {
		Entry entry = this.entries.get(name);
		return (entry != null) ? Optional.of(entry.report()) : Optional.empty();
	}

	/**
	 * The handle through which a loaded plugin's current version is called; it follows
	 * reloads.
	 * @param name the plugin's name
	 * @return the handle, when the plugin is loaded
	 */
	public Optional<LivePlugin> live(String name) {
		Entry entry = this.entries.get(name);
		return (entry != null && entry.live() != null) ? Optional.of(entry.live()) : Optional.empty();
	}

	/** Hear of every change from now on. */
	public void addListener(PluginCatalogListener listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener"));
	}

	public void removeListener(PluginCatalogListener listener) {
		this.listeners.remove(listener);
	}

	/**
	 * Load the named plugin again from its directory: a new plugin is added, a changed one
	 * replaced once the new version's {@code init} succeeded, a vanished one unloaded.
	 * @param name the plugin's name
	 * @return the plugin's report now (for a failed reload, the failure; the previous version keeps serving)
	 * @throws IllegalStateException when the catalog has no source to reload from
	 */
	public Optional<PluginReport> reload(String name) {
		PluginSource source = requireSource();
		synchronized (this.lock) {
			Optional<DiscoveredPlugin> found = source.discover()
				.stream()
				.filter((plugin) -> plugin.name().equals(name))
				.findFirst();
			if (found.isEmpty()) {
				unloadLocked(name);
				return Optional.empty();
			}
			return Optional.of(apply(source.load(found.get())));
		}
	}

	/**
	 * Look at the directories again and follow them: new plugins are loaded, plugins whose
	 * manifest or module changed are reloaded, vanished ones unloaded. Unchanged plugins are
	 * left alone.
	 * @return the changes made, as events
	 */
	public List<PluginCatalogEvent> rescan() {
		PluginSource source = requireSource();
		List<PluginCatalogEvent> changes = new ArrayList<>();
		PluginCatalogListener recorder = changes::add;
		this.listeners.add(0, recorder);
		try {
			synchronized (this.lock) {
				Map<String, DiscoveredPlugin> found = new LinkedHashMap<>();
				for (DiscoveredPlugin plugin : source.discover()) {
					found.putIfAbsent(plugin.name(), plugin);
				}
				// vanished plugins go first: a renamed directory frees its tool names for the new name
				for (String name : List.copyOf(this.entries.keySet())) {
					if (!found.containsKey(name) && this.entries.get(name).fromSource()) {
						unloadLocked(name);
					}
				}
				List<DiscoveredPlugin> changed = new ArrayList<>();
				for (DiscoveredPlugin plugin : found.values()) {
					Entry entry = this.entries.get(plugin.name());
					if (entry == null || entry.fingerprint() == null
							|| !entry.fingerprint().equals(fingerprint(plugin.directory(), plugin.manifest()))) {
						changed.add(plugin);
					}
				}
				// compiled side by side, swapped in one by one in discovery order
				source.loadAll(changed).forEach(this::apply);
			}
		}
		finally {
			this.listeners.remove(recorder);
		}
		return changes;
	}

	/**
	 * Load a plugin the application obtained itself (for example fetched over the
	 * network) from its bytes, beside or instead of one of the same name: the same engine,
	 * limits and digest rules as the plugins in the directories. A rescan leaves it alone.
	 * @param spec the plugin's bytes and grants
	 * @param sha256 the digest it must have, {@code null} for any (unless digests are required)
	 * @return its report now: loaded and serving, or the failure (a version loaded before keeps serving)
	 */
	public PluginReport register(io.github.grain.plugin.engine.PluginSpec spec, @Nullable String sha256) {
		PluginSource source = requireSource();
		synchronized (this.lock) {
			return apply(source.loader().load(spec, sha256), false);
		}
	}

	/**
	 * Stop serving a plugin; calls in flight finish first.
	 * @param name the plugin's name
	 * @return its last report, if it was known
	 */
	public Optional<PluginReport> unload(String name) {
		synchronized (this.lock) {
			return unloadLocked(name);
		}
	}

	private PluginReport apply(PluginReport next) {
		return apply(next, true);
	}

	private PluginReport apply(PluginReport next, boolean fromSource) {
		Entry previous = this.entries.get(next.name());
		PluginReport previousReport = (previous != null) ? previous.report() : null;
		if (next.status() != PluginStatus.LOADED && previousReport != null
				&& previousReport.status() == PluginStatus.LOADED) {
			logger.warn("Plugin '" + next.name() + "' was not replaced; the version loaded before keeps serving: "
					+ next.error());
			notify(new PluginCatalogEvent.Failed(next, previousReport));
			return next;
		}
		LivePlugin live = (previous != null) ? previous.live() : null;
		LoadedPlugin retired = null;
		LoadedPlugin loaded = next.plugin();
		if (loaded != null) {
			if (live != null) {
				retired = live.swap(loaded);
			}
			else {
				live = new LivePlugin(loaded);
			}
		}
		else if (live != null) {
			retired = live.current();
			live = null;
		}
		Fingerprint fingerprint = fromSource ? fingerprint(next) : null;
		put(next.name(), new Entry(next, live, fingerprint, fromSource));
		if (next.status() == PluginStatus.FAILED) {
			notify(new PluginCatalogEvent.Failed(next, null));
		}
		else if (previousReport != null && previousReport.status() == PluginStatus.LOADED) {
			notify(new PluginCatalogEvent.Replaced(previousReport, next));
		}
		else if (next.status() == PluginStatus.LOADED) {
			notify(new PluginCatalogEvent.Loaded(next));
		}
		close(retired);
		return next;
	}

	private Optional<PluginReport> unloadLocked(String name) {
		Entry entry = this.entries.get(name);
		if (entry == null) {
			return Optional.empty();
		}
		Map<String, Entry> without = new LinkedHashMap<>(this.entries);
		without.remove(name);
		this.entries = java.util.Collections.unmodifiableMap(without);
		notify(new PluginCatalogEvent.Unloaded(entry.report()));
		close((entry.live() != null) ? entry.live().current() : null);
		logger.info("Unloaded plugin '" + name + "'");
		return Optional.of(entry.report());
	}

	private void put(String name, Entry entry) {
		Map<String, Entry> next = new LinkedHashMap<>(this.entries);
		next.put(name, entry);
		this.entries = java.util.Collections.unmodifiableMap(next);
	}

	private void notify(PluginCatalogEvent event) {
		for (PluginCatalogListener listener : this.listeners) {
			try {
				listener.onChange(event);
			}
			catch (RuntimeException ex) {
				logger.warn("A plugin catalog listener failed on " + event, ex);
			}
		}
	}

	private static void close(@Nullable LoadedPlugin plugin) {
		if (plugin == null) {
			return;
		}
		try {
			plugin.close();
		}
		catch (RuntimeException ex) {
			logger.warn("Closing plugin '" + plugin.name() + "' failed", ex);
		}
	}

	private PluginSource requireSource() {
		if (this.source == null) {
			throw new IllegalStateException("this plugin catalog has no plugin directories to reload from");
		}
		return this.source;
	}

	/**
	 * Report a loaded plugin as failed after all (its tool names are taken, say), and close
	 * it once its calls in flight finished: its report keeps the version, world,
	 * capabilities, digest and runtime, loses its tools, and gets the error. Listeners hear
	 * {@link PluginCatalogEvent.Failed}. A rescan leaves it failed until its files change.
	 * @param name the plugin's name
	 * @param error why it cannot serve, naming what it conflicts with
	 * @return the new report
	 * @throws IllegalArgumentException if no loaded plugin has that name
	 */
	public PluginReport fail(String name, String error) {
		synchronized (this.lock) {
			Entry entry = this.entries.get(name);
			if (entry == null || entry.report().status() != PluginStatus.LOADED) {
				throw new IllegalArgumentException("no loaded plugin named '" + name + "'");
			}
			PluginReport loaded = entry.report();
			PluginReport failed = new PluginReport(loaded.name(), loaded.directory(), PluginStatus.FAILED,
					loaded.version(), loaded.world(), loaded.capabilities(), List.of(), loaded.sha256(), error, null,
					loaded.runtime(), loaded.loadedAt(), loaded.loadDuration());
			put(name, new Entry(failed, null, entry.fingerprint(), entry.fromSource()));
			logger.error(UntrustedText.forLog("Plugin '" + name + "' is reported failed: " + error));
			notify(new PluginCatalogEvent.Failed(failed, null));
			close((entry.live() != null) ? entry.live().current() : null);
			return failed;
		}
	}

	/**
	 * Fail when any plugin failed, closing everything first.
	 * @throws PluginsNotLoadedException naming every failed plugin and why
	 */
	public void requireAllLoaded() {
		List<PluginReport> failed = failed();
		if (failed.isEmpty()) {
			return;
		}
		close();
		throw new PluginsNotLoadedException(failed);
	}

	@Override
	public void close() {
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			for (Entry entry : this.entries.values()) {
				if (entry.live() != null) {
					close(entry.live().current());
				}
			}
			for (AutoCloseable resource : this.resources) {
				try {
					resource.close();
				}
				catch (Exception ex) {
					logger.warn("Closing " + resource + " failed", ex);
				}
			}
		}
	}

	private static @Nullable Fingerprint fingerprint(PluginReport report) {
		return fingerprint(report.directory(), null);
	}

	/**
	 * What changes when a plugin is edited on disk: every regular file of its directory with
	 * its size and modification time (the manifest, the module, anything it names).
	 */
	private static @Nullable Fingerprint fingerprint(Path directory, @Nullable PluginManifest manifest) {
		if (!Files.isDirectory(directory)) {
			return null;
		}
		Map<String, String> files = new java.util.TreeMap<>();
		try (java.util.stream.Stream<Path> paths = Files.walk(directory, 3)) {
			for (Path path : (Iterable<Path>) paths::iterator) {
				if (Files.isRegularFile(path)) {
					files.put(directory.relativize(path).toString(),
							Files.size(path) + "@" + Files.getLastModifiedTime(path).toMillis());
				}
			}
		}
		catch (IOException | java.io.UncheckedIOException ex) {
			return null;
		}
		return new Fingerprint(files);
	}

	private record Fingerprint(Map<String, String> files) {
	}

	private record Entry(PluginReport report, @Nullable LivePlugin live, @Nullable Fingerprint fingerprint,
			boolean fromSource) {

		static Entry of(PluginReport report, @Nullable Fingerprint fingerprint) {
			LoadedPlugin plugin = report.plugin();
			return new Entry(report, (plugin != null) ? new LivePlugin(plugin) : null, fingerprint, true);
		}

	}

}
