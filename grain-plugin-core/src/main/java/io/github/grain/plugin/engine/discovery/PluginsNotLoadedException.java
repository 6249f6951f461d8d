package io.github.grain.plugin.engine.discovery;

import java.util.List;
import java.util.stream.Collectors;

import io.github.grain.plugin.engine.InvalidPluginException;

/**
 * Plugins that had to load did not (fail-fast): names each one and why.
 */
public class PluginsNotLoadedException extends InvalidPluginException {

	private final List<PluginReport> failed;

	/**
	 * @param failed the reports of the plugins that failed, at least one
	 */
	public PluginsNotLoadedException(List<PluginReport> failed) {
		super(failed.size() + " plugin(s) failed to load: " + failed.stream()
			.map((report) -> "'" + report.name() + "' (" + report.error() + ")")
			.collect(Collectors.joining("; ")));
		this.failed = List.copyOf(failed);
	}

	/** The reports of the plugins that failed, in discovery order. */
	public List<PluginReport> failed() {
		return this.failed;
	}

}
