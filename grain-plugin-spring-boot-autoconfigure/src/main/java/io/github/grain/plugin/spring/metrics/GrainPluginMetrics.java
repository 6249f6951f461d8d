package io.github.grain.plugin.spring.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.engine.discovery.PluginCatalogEvent;
import io.github.grain.plugin.engine.discovery.PluginCatalogListener;
import io.github.grain.plugin.engine.discovery.PluginReport;
import io.github.grain.plugin.engine.discovery.PluginStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * The catalog as gauges: {@code grain.plugins} (plugins by {@code status}),
 * {@code grain.plugin.load.duration} (how long the engine took to load each plugin it was
 * asked to, failed or not; tags {@code plugin}, {@code runtime}, {@code status}) and
 * {@code grain.plugin.memory.peak} (the largest linear memory any instance of the loaded
 * version has had, in bytes; tags {@code plugin}, {@code runtime}). A plugin's gauges
 * follow the catalog: they are registered again when it is reloaded and removed when it
 * is unloaded.
 */
public class GrainPluginMetrics implements MeterBinder, PluginCatalogListener {

	private final PluginCatalog catalog;

	private final Map<String, List<Meter>> pluginMeters = new HashMap<>();

	private @Nullable MeterRegistry registry;

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
		synchronized (this.pluginMeters) {
			this.registry = registry;
			this.catalog.plugins().forEach(this::register);
		}
		this.catalog.addListener(this);
	}

	@Override
	public void onChange(PluginCatalogEvent event) {
		synchronized (this.pluginMeters) {
			MeterRegistry registry = this.registry;
			if (registry == null) {
				return;
			}
			List<Meter> previous = this.pluginMeters.remove(event.name());
			if (previous != null) {
				previous.forEach(registry::remove);
			}
			this.catalog.find(event.name()).ifPresent(this::register);
		}
	}

	/** Under the lock, with the registry bound. */
	private void register(PluginReport report) {
		MeterRegistry registry = this.registry;
		List<Meter> meters = new ArrayList<>();
		String runtime = (report.runtime() != null) ? report.runtime().id() : "unknown";
		Duration took = report.loadDuration();
		if (registry != null && took != null) {
			meters.add(TimeGauge.builder("grain.plugin.load.duration", took, TimeUnit.NANOSECONDS, Duration::toNanos)
				.description("How long the engine took to load the plugin: compile, link, init, list-tools")
				.tags(Tags.of("plugin", report.name(), "runtime", runtime, "status",
						report.status().name().toLowerCase(Locale.ROOT)))
				.register(registry));
		}
		LoadedPlugin plugin = report.plugin();
		if (registry != null && plugin != null) {
			meters.add(Gauge.builder("grain.plugin.memory.peak", plugin, LoadedPlugin::memoryHighWaterBytes)
				.description("The largest linear memory any one instance of the plugin has had")
				.baseUnit("bytes")
				.tags(Tags.of("plugin", report.name(), "runtime", runtime))
				.register(registry));
		}
		this.pluginMeters.put(report.name(), meters);
	}

}
