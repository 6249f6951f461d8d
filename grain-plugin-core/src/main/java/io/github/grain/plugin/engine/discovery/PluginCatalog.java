package io.github.grain.plugin.engine.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.UntrustedText;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Every plugin the host found, loaded or not. A loaded plugin that cannot serve after all
 * (its tool names are taken) is reported failed with {@link #fail}. Closing the catalog
 * closes the loaded plugins and then the resources it was given (the engine).
 */
public final class PluginCatalog implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(PluginCatalog.class);

	private volatile List<PluginReport> reports;

	private final List<AutoCloseable> resources;

	private boolean closed;

	/**
	 * @param reports one report per plugin
	 * @param resources closed after the plugins, in order
	 */
	public PluginCatalog(List<PluginReport> reports, List<? extends AutoCloseable> resources) {
		this.reports = List.copyOf(reports);
		this.resources = new ArrayList<>(resources);
	}

	/** A catalog without plugins. */
	public static PluginCatalog empty() {
		return new PluginCatalog(List.of(), List.of());
	}

	/** Every plugin, in discovery order. */
	public List<PluginReport> plugins() {
		return this.reports;
	}

	/** The plugins that loaded. */
	public List<PluginReport> loaded() {
		return this.reports.stream().filter((report) -> report.status() == PluginStatus.LOADED).toList();
	}

	/** The plugins that failed. */
	public List<PluginReport> failed() {
		return this.reports.stream().filter((report) -> report.status() == PluginStatus.FAILED).toList();
	}

	/**
	 * Look a plugin up.
	 * @param name the plugin's name
	 * @return its report
	 */
	public Optional<PluginReport> find(String name) {
		return this.reports.stream().filter((report) -> report.name().equals(name)).findFirst();
	}

	/**
	 * Report a loaded plugin as failed after all, and close it: its report keeps the
	 * version, world, capabilities and digest, loses its tools, and gets the error.
	 * @param name the plugin's name
	 * @param error why it cannot serve, naming what it conflicts with
	 * @return the new report
	 * @throws IllegalArgumentException if no loaded plugin has that name
	 */
	public PluginReport fail(String name, String error) {
		PluginReport failed;
		LoadedPlugin plugin;
		synchronized (this) {
			List<PluginReport> updated = new ArrayList<>(this.reports);
			int index = -1;
			for (int i = 0; i < updated.size(); i++) {
				if (updated.get(i).name().equals(name) && updated.get(i).status() == PluginStatus.LOADED) {
					index = i;
				}
			}
			if (index < 0) {
				throw new IllegalArgumentException("no loaded plugin named '" + name + "'");
			}
			PluginReport loaded = updated.get(index);
			plugin = loaded.plugin();
			failed = new PluginReport(loaded.name(), loaded.directory(), PluginStatus.FAILED, loaded.version(),
					loaded.world(), loaded.capabilities(), List.of(), loaded.sha256(), error, null);
			updated.set(index, failed);
			this.reports = List.copyOf(updated);
		}
		logger.error(UntrustedText.forLog("Plugin '" + name + "' is reported failed: " + error));
		if (plugin != null) {
			plugin.close();
		}
		return failed;
	}

	/**
	 * Fail when any plugin failed, closing everything first.
	 * @throws InvalidPluginException naming every failed plugin and why
	 */
	public void requireAllLoaded() {
		List<PluginReport> failed = failed();
		if (failed.isEmpty()) {
			return;
		}
		close();
		throw new InvalidPluginException(failed.size() + " plugin(s) failed to load: " + failed.stream()
			.map((report) -> "'" + report.name() + "' (" + report.error() + ")")
			.collect(Collectors.joining("; ")));
	}

	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		for (PluginReport report : this.reports) {
			LoadedPlugin plugin = report.plugin();
			if (plugin != null) {
				try {
					plugin.close();
				}
				catch (RuntimeException ex) {
					logger.warn("Closing plugin '" + report.name() + "' failed", ex);
				}
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
