package io.github.grain.plugin.engine.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.github.grain.plugin.engine.LoadedPlugin;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Every plugin the host found, loaded or not. Closing the catalog closes the loaded
 * plugins and then the resources it was given (the engine).
 */
public final class PluginCatalog implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(PluginCatalog.class);

	private final List<PluginReport> reports;

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
