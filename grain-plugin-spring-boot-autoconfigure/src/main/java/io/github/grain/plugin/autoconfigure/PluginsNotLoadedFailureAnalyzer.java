package io.github.grain.plugin.autoconfigure;

import io.github.grain.plugin.engine.discovery.PluginReport;
import io.github.grain.plugin.engine.discovery.PluginsNotLoadedException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * With {@code grain.plugins.fail-fast}, plugins that did not load stop startup: each one,
 * where it is and why, and the ways out.
 */
class PluginsNotLoadedFailureAnalyzer extends AbstractFailureAnalyzer<PluginsNotLoadedException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, PluginsNotLoadedException cause) {
		StringBuilder description = new StringBuilder().append(cause.failed().size())
			.append(" plugin(s) failed to load and grain.plugins.fail-fast is true:\n");
		for (PluginReport report : cause.failed()) {
			description.append("\n    - '")
				.append(report.name())
				.append("' in ")
				.append(report.directory())
				.append(": ")
				.append(report.error());
		}
		String first = cause.failed().get(0).name();
		String action = "Fix each plugin as its error says, turn one off with grain.plugins.plugin." + first
				+ ".enabled=false, or set grain.plugins.fail-fast=false to start with failed plugins reported "
				+ "(in the log, and as failed in the grainplugins endpoint and health).";
		return new FailureAnalysis(description.toString(), action, cause);
	}

}
