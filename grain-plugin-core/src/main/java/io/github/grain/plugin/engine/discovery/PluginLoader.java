package io.github.grain.plugin.engine.discovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.GrainPluginException;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.PluginEngine;
import io.github.grain.plugin.engine.WasmRuntimeKind;
import io.github.grain.plugin.engine.runtime.Digests;
import io.github.grain.plugin.engine.PluginSpec;
import io.github.grain.plugin.engine.wit.ToolDef;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Turns discovered plugins into loaded ones: merges each manifest with the application's
 * {@link PluginSettings}, reads the module, and hands a {@link PluginSpec} to the engine.
 * Every plugin gets a {@link PluginReport}; a failure is reported, never thrown.
 */
public final class PluginLoader {

	private static final Log logger = LogFactory.getLog(PluginLoader.class);

	/** Modules larger than this are refused before they are read. */
	public static final long MAX_MODULE_BYTES = 256L * 1024 * 1024;

	private final Function<PluginSpec, LoadedPlugin> engine;

	private final @Nullable WasmRuntimeKind runtime;

	/**
	 * @param engine what loads a spec, usually {@code pluginEngine::load}
	 */
	public PluginLoader(Function<PluginSpec, LoadedPlugin> engine) {
		this(engine, null);
	}

	/**
	 * @param engine the engine that loads every plugin, on the runtime its options name
	 */
	public PluginLoader(PluginEngine engine) {
		this(engine::load, engine.options().runtime());
	}

	/**
	 * @param engine what loads a spec
	 * @param runtime the runtime it loads plugins on, reported with each plugin; {@code null} if unknown
	 */
	public PluginLoader(Function<PluginSpec, LoadedPlugin> engine, @Nullable WasmRuntimeKind runtime) {
		this.engine = engine;
		this.runtime = runtime;
	}

	/**
	 * Load every discovered plugin.
	 * @param discovered the plugins found
	 * @param settings the application's settings for a plugin name
	 * @return one report per plugin, in discovery order
	 */
	public List<PluginReport> loadAll(List<DiscoveredPlugin> discovered, Function<String, PluginSettings> settings) {
		List<PluginReport> reports = new ArrayList<>();
		for (DiscoveredPlugin plugin : discovered) {
			reports.add(load(plugin, settings.apply(plugin.name())));
		}
		return reports;
	}

	/**
	 * Load one plugin.
	 * @param discovered the plugin found on disk
	 * @param settings the application's settings for it
	 * @return its report
	 */
	public PluginReport load(DiscoveredPlugin discovered, PluginSettings settings) {
		PluginManifest manifest = discovered.manifest();
		if (manifest == null) {
			String error = String.valueOf(java.util.Objects.requireNonNull(discovered.problem()).getMessage());
			logger.error("Plugin '" + discovered.name() + "' cannot be loaded: " + error);
			return failed(discovered, null, Set.of(), null, error);
		}
		Set<Capability> capabilities = (settings.capabilities() != null) ? settings.capabilities()
				: manifest.capabilities();
		if (!settings.enabled()) {
			logger.info("Plugin '" + discovered.name() + "' is disabled");
			return new PluginReport(discovered.name(), discovered.directory(), PluginStatus.DISABLED,
					manifest.version(), null, capabilities, List.of(), null, null, null);
		}
		byte[] wasm;
		try {
			wasm = readModule(manifest.module());
		}
		catch (IOException | GrainPluginException ex) {
			String error = "module " + manifest.module() + " cannot be read: " + ex.getMessage();
			logger.error("Plugin '" + discovered.name() + "' cannot be loaded: " + error);
			return failed(discovered, manifest, capabilities, null, error);
		}
		Map<String, String> env = new LinkedHashMap<>(manifest.env());
		env.putAll(settings.env());
		PluginSpec spec = new PluginSpec(manifest.name(), manifest.module().toString(), wasm, capabilities, env)
			.withLimits(settings.callTimeout(), settings.maxMemoryBytes());
		LoadedPlugin loaded;
		long start = System.nanoTime();
		try {
			loaded = this.engine.apply(spec);
		}
		catch (RuntimeException | LinkageError ex) {
			// GrainPluginException above all, but a broken engine or native library must not stop the host
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			String error = (ex instanceof GrainPluginException) ? String.valueOf(ex.getMessage()) : ex.toString();
			logger.error("Plugin '" + discovered.name() + "' from " + manifest.module() + " failed to load: " + error);
			return new PluginReport(discovered.name(), discovered.directory(), PluginStatus.FAILED, manifest.version(),
					null, capabilities, List.of(), Digests.sha256(wasm), error, null, this.runtime, Instant.now(), took);
		}
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		List<String> tools = loaded.tools().stream().map(ToolDef::name).toList();
		logger.info("Loaded plugin '" + loaded.name() + "' " + loaded.info().version() + " (" + loaded.world()
				+ ", sha256 " + loaded.sha256() + ") with tools " + tools + " in " + took.toMillis() + " ms");
		return new PluginReport(discovered.name(), discovered.directory(), PluginStatus.LOADED, loaded.info().version(),
				loaded.world(), loaded.capabilities(), tools, loaded.sha256(), null, loaded, this.runtime, Instant.now(),
				took);
	}

	private static PluginReport failed(DiscoveredPlugin discovered, @Nullable PluginManifest manifest,
			Set<Capability> capabilities, @Nullable String sha256, String error) {
		return new PluginReport(discovered.name(), discovered.directory(), PluginStatus.FAILED,
				(manifest != null) ? manifest.version() : null, null, capabilities, List.of(), sha256, error, null);
	}

	private static byte[] readModule(Path module) throws IOException {
		if (!Files.isRegularFile(module)) {
			throw new IOException("no such file");
		}
		long size = Files.size(module);
		if (size > MAX_MODULE_BYTES) {
			throw new IOException("it has " + size + " bytes, more than the limit of " + MAX_MODULE_BYTES);
		}
		return Files.readAllBytes(module);
	}

}
