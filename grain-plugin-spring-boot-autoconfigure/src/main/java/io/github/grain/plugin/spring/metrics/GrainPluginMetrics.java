package io.github.grain.plugin.spring.metrics;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.engine.discovery.PluginReport;
import io.github.grain.plugin.engine.discovery.PluginStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The catalog as gauges: {@code grain.plugins} (plugins by {@code status}),
 * {@code grain.plugin.load.duration} (how long the engine took to load each plugin it was
 * asked to, failed or not; tags {@code plugin}, {@code runtime}, {@code status}) and
 * {@code grain.plugin.memory.peak} (the largest linear memory any instance of a loaded
 * plugin has had, in bytes; tags {@code plugin}, {@code runtime}).
 */
public class GrainPluginMetrics implements MeterBinder {

	private final PluginCatalog catalog;

	public GrainPluginMetrics(PluginCatalog catalog) {
		this.catalog = catalog;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (PluginStatus status : PluginStatus.values()) {
			Gauge.builder("grain.plugins", this.catalog,
					(catalog) -> catalog.plugins().stream().filter((report) -> report.status() == status).count())
				.description("Plugins found, by status")
				.tag("status", status.name().toLowerCase(Locale.ROOT))
				.register(registry);
		}
		for (PluginReport report : this.catalog.plugins()) {
			Duration took = report.loadDuration();
			String runtime = (report.runtime() != null) ? report.runtime().id() : "unknown";
			if (took != null) {
				TimeGauge.builder("grain.plugin.load.duration", took, TimeUnit.NANOSECONDS, Duration::toNanos)
					.description("How long the engine took to load the plugin: compile, link, init, list-tools")
					.tags(Tags.of("plugin", report.name(), "runtime", runtime, "status",
							report.status().name().toLowerCase(Locale.ROOT)))
					.register(registry);
			}
			LoadedPlugin plugin = report.plugin();
			if (plugin != null) {
				Gauge.builder("grain.plugin.memory.peak", plugin, LoadedPlugin::memoryHighWaterBytes)
					.description("The largest linear memory any one instance of the plugin has had")
					.baseUnit("bytes")
					.tags(Tags.of("plugin", report.name(), "runtime", runtime))
					.register(registry);
			}
		}
	}

}
