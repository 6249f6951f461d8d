package io.github.grain.plugin.engine.discovery;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.GrainPluginException;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.WasmRuntimeKind;
import io.github.grain.plugin.engine.runtime.Digests;
import io.github.grain.plugin.engine.PluginSpec;
import io.github.grain.plugin.engine.UntrustedText;
import io.github.grain.plugin.engine.wit.ToolDef;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Turns discovered plugins into loaded ones: merges each manifest with the application's
 * {@link PluginSettings}, reads the module (through {@link PluginFiles}: confined to the
 * plugin's directory unless links are allowed), and hands a {@link PluginSpec} to the
 * engine, its source named relative to the plugin directory. Every plugin gets a
 * {@link PluginReport}; a failure is reported, never thrown. Guest text written to the log
 * (errors, version, tool names) is escaped.
 * <p>
 * {@link #loadAll loadAll} compiles up to {@code parallelism} plugins at the same time, on
 * worker threads of its own that live as long as the call: compiling (Cranelift on wasmtime,
 * bytecode generation on Chicory) is most of a load and each runtime compiles a module on
 * its own. The reports, and what is logged about each plugin, still come in discovery
 * order, exactly as a load one after another gives them.
 */
public final class PluginLoader {

	private static final Log logger = LogFactory.getLog(PluginLoader.class);

	/** Modules larger than this are refused before they are read. */
	public static final long MAX_MODULE_BYTES = 256L * 1024 * 1024;

	private final Function<PluginSpec, LoadedPlugin> engine;

	private final boolean requireDigest;

	private final @Nullable WasmRuntimeKind engineRuntime;

	private final int parallelism;

	/**
	 * @param engine what loads a spec, usually {@code pluginEngine::load}
	 */
	public PluginLoader(Function<PluginSpec, LoadedPlugin> engine) {
		this(engine, false);
	}

	/**
	 * @param engine what loads a spec, usually {@code pluginEngine::load}
	 * @param requireDigest whether a plugin without a pinned digest ({@link PluginSettings#sha256()}) is refused
	 */
	public PluginLoader(Function<PluginSpec, LoadedPlugin> engine, boolean requireDigest) {
		this(engine, requireDigest, null);
	}

	/**
	 * @param engine what loads a spec, usually {@code pluginEngine::load}
	 * @param requireDigest whether a plugin without a pinned digest ({@link PluginSettings#sha256()}) is refused
	 * @param engineRuntime the runtime the engine loads a spec on that names none, reported
	 * for plugins that fail to load ({@code null} when not known)
	 */
	public PluginLoader(Function<PluginSpec, LoadedPlugin> engine, boolean requireDigest,
			@Nullable WasmRuntimeKind engineRuntime) {
		this(engine, requireDigest, engineRuntime, defaultParallelism());
	}

	/**
	 * @param engine what loads a spec, usually {@code pluginEngine::load}; called from
	 * several threads at once when {@code parallelism} is above 1
	 * @param requireDigest whether a plugin without a pinned digest ({@link PluginSettings#sha256()}) is refused
	 * @param engineRuntime the runtime the engine loads a spec on that names none, reported
	 * for plugins that fail to load ({@code null} when not known)
	 * @param parallelism how many plugins {@link #loadAll loadAll} compiles at the same time, at least 1
	 */
	public PluginLoader(Function<PluginSpec, LoadedPlugin> engine, boolean requireDigest,
			@Nullable WasmRuntimeKind engineRuntime, int parallelism) {
		if (parallelism < 1) {
			throw new IllegalArgumentException("plugin load parallelism must be at least 1, not " + parallelism);
		}
		this.engine = engine;
		this.requireDigest = requireDigest;
		this.engineRuntime = engineRuntime;
		this.parallelism = parallelism;
	}

	/** Plugins compiled at the same time unless told otherwise: one per available processor. */
	public static int defaultParallelism() {
		return Runtime.getRuntime().availableProcessors();
	}

	/** How many plugins {@link #loadAll loadAll} compiles at the same time. */
	public int parallelism() {
		return this.parallelism;
	}

	/**
	 * Load every discovered plugin.
	 * @param discovered the plugins found
	 * @param settings the application's settings for a plugin name
	 * @return one report per plugin, in discovery order
	 */
	public List<PluginReport> loadAll(List<DiscoveredPlugin> discovered, Function<String, PluginSettings> settings) {
		List<PluginSettings> each = new ArrayList<>();
		for (DiscoveredPlugin plugin : discovered) {
			each.add(settings.apply(plugin.name()));
		}
		int threads = Math.min(this.parallelism, discovered.size());
		if (threads <= 1) {
			List<PluginReport> reports = new ArrayList<>();
			for (int i = 0; i < discovered.size(); i++) {
				reports.add(load(discovered.get(i), each.get(i)));
			}
			return reports;
		}
		ExecutorService workers = Executors.newFixedThreadPool(threads, new LoaderThreads());
		try {
			List<Future<Attempt>> attempts = new ArrayList<>();
			for (int i = 0; i < discovered.size(); i++) {
				DiscoveredPlugin plugin = discovered.get(i);
				PluginSettings pluginSettings = each.get(i);
				attempts.add(workers.submit(() -> attempt(plugin, pluginSettings)));
			}
			return collect(attempts);
		}
		finally {
			workers.shutdown();
		}
	}

	/**
	 * The reports in submission order, each plugin's log lines written as its turn comes.
	 * Waits for every attempt, so none is left running; should one end in an error (an
	 * {@link Error} such as {@link OutOfMemoryError}), the plugins the others loaded are
	 * closed and that error is thrown.
	 */
	private static List<PluginReport> collect(List<Future<Attempt>> attempts) {
		List<PluginReport> reports = new ArrayList<>();
		Throwable failure = null;
		boolean interrupted = false;
		for (Future<Attempt> future : attempts) {
			while (true) {
				try {
					Attempt attempt = future.get();
					attempt.log().forEach(Runnable::run);
					reports.add(attempt.report());
					break;
				}
				catch (InterruptedException ex) {
					// a compile cannot be interrupted; finish waiting so no plugin is left half-loaded
					interrupted = true;
				}
				catch (ExecutionException ex) {
					failure = (failure != null) ? failure : ex.getCause();
					break;
				}
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		if (failure == null) {
			return reports;
		}
		for (PluginReport report : reports) {
			if (report.plugin() != null) {
				report.plugin().close();
			}
		}
		if (failure instanceof Error error) {
			throw error;
		}
		if (failure instanceof RuntimeException runtime) {
			throw runtime;
		}
		throw new IllegalStateException("loading plugins failed", failure);
	}

	/**
	 * Load one plugin.
	 * @param discovered the plugin found on disk
	 * @param settings the application's settings for it
	 * @return its report
	 */
	public PluginReport load(DiscoveredPlugin discovered, PluginSettings settings) {
		Attempt attempt = attempt(discovered, settings);
		attempt.log().forEach(Runnable::run);
		return attempt.report();
	}

	/** Load one plugin, keeping what is to be logged about it for its turn. */
	private Attempt attempt(DiscoveredPlugin discovered, PluginSettings settings) {
		List<Runnable> log = new ArrayList<>();
		PluginReport report = load(discovered, settings, log);
		return new Attempt(report, List.copyOf(log));
	}

	private PluginReport load(DiscoveredPlugin discovered, PluginSettings settings, List<Runnable> log) {
		PluginManifest manifest = discovered.manifest();
		if (manifest == null) {
			String error = String.valueOf(java.util.Objects.requireNonNull(discovered.problem()).getMessage());
			log.add(() -> logger.error(UntrustedText.forLog("Plugin '" + discovered.name() + "' cannot be loaded: " + error)));
			return failed(discovered, null, Set.of(), null, error);
		}
		Set<Capability> capabilities = (settings.capabilities() != null) ? settings.capabilities()
				: manifest.capabilities();
		if (!settings.enabled()) {
			log.add(() -> logger.info("Plugin '" + discovered.name() + "' is disabled"));
			return new PluginReport(discovered.name(), discovered.directory(), PluginStatus.DISABLED,
					manifest.version(), null, capabilities, List.of(), null, null, null);
		}
		String module = PluginFiles.location(discovered.directory(), manifest.module());
		byte[] wasm;
		try {
			wasm = discovered.files().read(discovered.directory(), manifest.module(), MAX_MODULE_BYTES);
		}
		catch (IOException | GrainPluginException ex) {
			String error = "module " + module + " cannot be read: " + ex.getMessage();
			log.add(() -> logger.error(UntrustedText.forLog("Plugin '" + discovered.name() + "' cannot be loaded: " + error)));
			return failed(discovered, manifest, capabilities, null, error);
		}
		String digest = Digests.sha256(wasm);
		String digestProblem = digestProblem(discovered.name(), settings.sha256(), digest);
		if (digestProblem != null) {
			log.add(() -> logger.error("Plugin '" + discovered.name() + "' is refused: " + digestProblem));
			return failed(discovered, manifest, capabilities, digest, digestProblem);
		}
		Map<String, String> env = new LinkedHashMap<>(manifest.env());
		env.putAll(settings.env());
		PluginSpec spec = new PluginSpec(manifest.name(), module, wasm, capabilities, env)
			.withLimits(settings.callTimeout(), settings.maxMemoryBytes())
			.withRuntime(settings.runtime());
		long start = System.nanoTime();
		LoadedPlugin loaded;
		try {
			loaded = this.engine.apply(spec);
		}
		catch (RuntimeException | LinkageError ex) {
			// GrainPluginException above all, but a broken engine or native library must not stop the host
			String error = (ex instanceof GrainPluginException) ? String.valueOf(ex.getMessage()) : ex.toString();
			log.add(() -> logger.error(UntrustedText.forLog("Plugin '" + discovered.name() + "' from " + module
					+ " failed to load: " + error)));
			return new PluginReport(discovered.name(), discovered.directory(), PluginStatus.FAILED, manifest.version(),
					null, capabilities, List.of(), digest, error, null, runtimeOf(spec), Instant.now(), since(start));
		}
		Duration took = since(start);
		List<String> tools = loaded.tools().stream().map(ToolDef::name).toList();
		String message = UntrustedText.forLog("Loaded plugin '" + loaded.name() + "' " + loaded.info().version() + " ("
				+ loaded.world() + ", sha256 " + loaded.sha256() + ") with tools " + tools + " in " + took.toMillis()
				+ " ms");
		log.add(() -> logger.info(message));
		return new PluginReport(discovered.name(), discovered.directory(), PluginStatus.LOADED, loaded.info().version(),
				loaded.world(), loaded.capabilities(), tools, loaded.sha256(), null, loaded, loaded.runtime(),
				Instant.now(), took);
	}

	/** The runtime a spec was to run on, when known. */
	private @Nullable WasmRuntimeKind runtimeOf(PluginSpec spec) {
		return (spec.runtime() != null) ? spec.runtime() : this.engineRuntime;
	}

	private static Duration since(long start) {
		return Duration.ofNanos(System.nanoTime() - start);
	}

	/** Why the module's digest is refused, or {@code null} when it is accepted. */
	private @Nullable String digestProblem(String plugin, @Nullable String pinned, String actual) {
		if (pinned == null) {
			return this.requireDigest ? "no digest is pinned for plugin '" + plugin + "' and digests are required; "
					+ "pin this module with sha256 " + actual : null;
		}
		return pinned.equals(actual) ? null : "the module of plugin '" + plugin + "' has sha256 " + actual
				+ ", but sha256 " + pinned + " is pinned";
	}

	/**
	 * Load a plugin the application supplies as bytes (fetched, generated, bundled); its
	 * report's directory is its source.
	 * @param spec the plugin
	 * @param sha256 the digest it must have, {@code null} for any (unless digests are required)
	 * @return its report; a failure is reported, never thrown
	 */
	public PluginReport load(PluginSpec spec, @Nullable String sha256) {
		Path origin = Path.of(spec.source().replace(':', '_'));
		String digest = Digests.sha256(spec.wasm());
		String problem = digestProblem(spec.name(), sha256, digest);
		if (problem != null) {
			logger.error("Plugin '" + spec.name() + "' from " + spec.source() + " is refused: " + problem);
			return new PluginReport(spec.name(), origin, PluginStatus.FAILED, null, null, spec.capabilities(),
					List.of(), digest, problem, null);
		}
		long start = System.nanoTime();
		try {
			LoadedPlugin loaded = this.engine.apply(spec);
			return new PluginReport(spec.name(), origin, PluginStatus.LOADED, loaded.info().version(), loaded.world(),
					loaded.capabilities(), loaded.tools().stream().map(ToolDef::name).toList(), loaded.sha256(), null,
					loaded, loaded.runtime(), Instant.now(), since(start));
		}
		catch (RuntimeException | LinkageError ex) {
			problem = (ex instanceof GrainPluginException) ? String.valueOf(ex.getMessage()) : ex.toString();
			logger.error("Plugin '" + spec.name() + "' from " + spec.source() + " failed to load: " + problem);
			return new PluginReport(spec.name(), origin, PluginStatus.FAILED, null, null, spec.capabilities(),
					List.of(), digest, problem, null, runtimeOf(spec), Instant.now(), since(start));
		}
	}

	/** A plugin's report and what is to be logged about it, in order. */
	private record Attempt(PluginReport report, List<Runnable> log) {
	}

	/** Daemon worker threads named after what they do, so a stuck compile shows in a thread dump. */
	private static final class LoaderThreads implements ThreadFactory {

		private final AtomicInteger count = new AtomicInteger();

		@Override
		public Thread newThread(Runnable work) {
			Thread thread = new Thread(work, "grain-plugin-loader-" + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

	private static PluginReport failed(DiscoveredPlugin discovered, @Nullable PluginManifest manifest,
			Set<Capability> capabilities, @Nullable String sha256, String error) {
		return new PluginReport(discovered.name(), discovered.directory(), PluginStatus.FAILED,
				(manifest != null) ? manifest.version() : null, null, capabilities, List.of(), sha256, error, null);
	}

}
