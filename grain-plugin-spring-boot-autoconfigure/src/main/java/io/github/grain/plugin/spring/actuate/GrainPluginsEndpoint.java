package io.github.grain.plugin.spring.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.engine.discovery.PluginCatalogEvent;
import io.github.grain.plugin.engine.discovery.PluginReport;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/grainplugins}: every plugin the host found, loaded or not, with what
 * it reports; {@code /actuator/grainplugins/{name}} for one (404 when unknown). Its write
 * operations follow the plugin directories on request: {@code POST .../{name}} reloads one
 * plugin, {@code DELETE .../{name}} unloads it (until the next rescan or change in its
 * directory), {@code POST /actuator/grainplugins} rescans them all. They change what the
 * host runs, so the endpoint is read-only unless its access is raised
 * ({@code management.endpoint.grainplugins.access=unrestricted}), besides being exposed.
 */
@Endpoint(id = "grainplugins", defaultAccess = Access.READ_ONLY)
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
	 * Load a plugin again from its directory: a changed one is replaced once the new
	 * version's {@code init} succeeded, a new one is loaded, one whose directory is gone is
	 * unloaded.
	 * @param name the plugin's name
	 * @return the plugin's report now (for a failed reload, the failure; the previous
	 * version keeps serving), or {@code null} when no plugin of that name is left
	 */
	@WriteOperation
	public @Nullable PluginDescriptor reload(@Selector String name) {
		return this.catalog.reload(name).map(PluginDescriptor::of).orElse(null);
	}

	/**
	 * Stop serving a plugin (calls in flight finish first) until the next rescan or change
	 * in its directory.
	 * @param name the plugin's name
	 * @return its last report, marked {@code unloaded}, or {@code null} when unknown
	 */
	@DeleteOperation
	public @Nullable PluginDescriptor unload(@Selector String name) {
		return this.catalog.unload(name).map(PluginDescriptor::unloaded).orElse(null);
	}

	/**
	 * Look at the plugin directories again and follow them, as the directory watcher does.
	 * @return what changed
	 */
	@WriteOperation
	public GrainPluginsChanges rescan() {
		return new GrainPluginsChanges(this.catalog.rescan().stream().map(PluginChange::of).toList());
	}

	/**
	 * What a rescan changed, in order.
	 * @param changes one per plugin loaded, replaced, unloaded or that failed to load
	 */
	public record GrainPluginsChanges(List<PluginChange> changes) implements OperationResponseBody {
	}

	/**
	 * One change.
	 * @param change {@code loaded}, {@code replaced}, {@code unloaded} or {@code failed}
	 * @param plugin the plugin now (for {@code unloaded}, as it was; for {@code failed}, the
	 * failure, while a version loaded before keeps serving)
	 */
	public record PluginChange(String change, PluginDescriptor plugin) {

		static PluginChange of(PluginCatalogEvent event) {
			if (event instanceof PluginCatalogEvent.Loaded loaded) {
				return new PluginChange("loaded", PluginDescriptor.of(loaded.report()));
			}
			if (event instanceof PluginCatalogEvent.Replaced replaced) {
				return new PluginChange("replaced", PluginDescriptor.of(replaced.current()));
			}
			if (event instanceof PluginCatalogEvent.Unloaded unloaded) {
				return new PluginChange("unloaded", PluginDescriptor.unloaded(unloaded.previous()));
			}
			PluginCatalogEvent.Failed failed = (PluginCatalogEvent.Failed) event;
			return new PluginChange("failed", PluginDescriptor.of(failed.failed()));
		}

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
	 * @param status {@code loaded}, {@code failed} or {@code disabled}; {@code unloaded} in
	 * what an unload returns
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

		static PluginDescriptor unloaded(PluginReport report) {
			PluginDescriptor last = of(report);
			return new PluginDescriptor(last.name(), "unloaded", last.version(), last.world(), last.runtime(),
					last.capabilities(), List.of(), last.sha256(), last.loadedAt(), last.loadMillis(),
					last.memoryHighWaterBytes(), last.directory(), last.error());
		}

		private static String lower(String name) {
			return name.toLowerCase(Locale.ROOT);
		}

	}

}
