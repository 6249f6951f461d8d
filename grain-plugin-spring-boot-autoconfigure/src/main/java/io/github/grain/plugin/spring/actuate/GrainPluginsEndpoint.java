package io.github.grain.plugin.spring.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.engine.discovery.PluginReport;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code /actuator/grainplugins}: every plugin the host found, loaded or not, with what
 * it reports; {@code /actuator/grainplugins/{name}} for one (404 when unknown). Read-only.
 */
@Endpoint(id = "grainplugins")
public class GrainPluginsEndpoint {

	private final PluginCatalog catalog;

	public GrainPluginsEndpoint(PluginCatalog catalog) {
		this.catalog = catalog;
	}

	@ReadOperation
	public GrainPluginsDescriptor plugins() {
		return new GrainPluginsDescriptor(this.catalog.plugins().stream().map(PluginDescriptor::of).toList());
	}

	@ReadOperation
	public @Nullable PluginDescriptor plugin(@Selector String name) {
		return this.catalog.find(name).map(PluginDescriptor::of).orElse(null);
	}

	/**
	 * Every plugin, in discovery order.
	 * @param plugins one descriptor per plugin
	 */
	public record GrainPluginsDescriptor(List<PluginDescriptor> plugins) implements OperationResponseBody {
	}

	/**
	 * One plugin as the endpoint shows it.
	 * @param name the plugin's name
	 * @param status {@code loaded}, {@code failed} or {@code disabled}
	 * @param version what {@code init} reported, else the manifest's version
	 * @param world {@code v1} or {@code v2}, when loaded
	 * @param runtime {@code wasmtime} or {@code chicory}, when the engine was asked to load it
	 * @param capabilities the capabilities granted (that would be, when not loaded)
	 * @param tools the names of its tools, when loaded
	 * @param sha256 the SHA-256 of the module, when it could be read
	 * @param loadedAt when loading it ended (ISO-8601), when the engine was asked to load it
	 * @param loadMillis how long loading took, in milliseconds
	 * @param memoryHighWaterBytes the largest linear memory any of its instances has had, when loaded
	 * @param directory the plugin's directory
	 * @param error why it failed, when failed
	 */
	public record PluginDescriptor(String name, String status, @Nullable String version, @Nullable String world,
			@Nullable String runtime, List<String> capabilities, List<String> tools, @Nullable String sha256,
			@Nullable String loadedAt, @Nullable Long loadMillis, @Nullable Long memoryHighWaterBytes,
			String directory, @Nullable String error) implements OperationResponseBody {

		static PluginDescriptor of(PluginReport report) {
			LoadedPlugin plugin = report.plugin();
			Instant loadedAt = report.loadedAt();
			Duration took = report.loadDuration();
			return new PluginDescriptor(report.name(), lower(report.status().name()), report.version(),
					(report.world() != null) ? lower(report.world().name()) : null,
					(report.runtime() != null) ? report.runtime().id() : null,
					report.capabilities().stream().sorted().map(Capability::wireName).toList(), report.tools(),
					report.sha256(), (loadedAt != null) ? loadedAt.toString() : null,
					(took != null) ? took.toMillis() : null, (plugin != null) ? plugin.memoryHighWaterBytes() : null,
					report.directory().toString(), report.error());
		}

		private static String lower(String name) {
			return name.toLowerCase(Locale.ROOT);
		}

	}

}
