package io.github.grain.plugin.spring.actuate;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.engine.discovery.PluginReport;
import io.github.grain.plugin.engine.discovery.PluginStatus;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code grainPlugins} health contributor: {@code UP} with each plugin's status (and
 * version or error) as details. A plugin that failed to load shows in the details and
 * makes the contributor's status the configured one: {@code UP} by default (the others
 * serve, as with {@code fail-fast=false}), {@code DOWN} or another status when that should
 * alert.
 */
public class GrainPluginsHealthIndicator implements HealthIndicator {

	private final PluginCatalog catalog;

	private final Status failedPluginStatus;

	/**
	 * @param catalog the plugins
	 * @param failedPluginStatus the status when any plugin failed to load
	 */
	public GrainPluginsHealthIndicator(PluginCatalog catalog, Status failedPluginStatus) {
		this.catalog = catalog;
		this.failedPluginStatus = failedPluginStatus;
	}

	@Override
	public Health health() {
		boolean anyFailed = !this.catalog.failed().isEmpty();
		Health.Builder health = anyFailed ? Health.status(this.failedPluginStatus) : Health.up();
		for (PluginReport report : this.catalog.plugins()) {
			health.withDetail(report.name(), details(report));
		}
		return health.build();
	}

	private static Map<String, Object> details(PluginReport report) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("status", report.status().name().toLowerCase(Locale.ROOT));
		if (report.version() != null) {
			details.put("version", report.version());
		}
		if (report.status() == PluginStatus.LOADED) {
			details.put("tools", report.tools().size());
		}
		if (report.error() != null) {
			details.put("error", report.error());
		}
		return details;
	}

}
