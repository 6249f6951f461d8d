package io.github.grain.plugin.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.github.grain.plugin.engine.component.CanonicalLift;
import io.github.grain.plugin.engine.component.CanonicalOptions;
import io.github.grain.plugin.engine.component.ComponentModel;
import io.github.grain.plugin.engine.component.ComponentReader;
import io.github.grain.plugin.engine.component.WasmBinaryKind;
import io.github.grain.plugin.engine.host.GrainHostImports;
import io.github.grain.plugin.engine.host.PluginHostContext;
import io.github.grain.plugin.engine.host.WasiPreview1;
import io.github.grain.plugin.engine.host.WasiPreview2;
import io.github.grain.plugin.engine.module.ExternKind;
import io.github.grain.plugin.engine.module.MemoryLimiter;
import io.github.grain.plugin.engine.module.ModuleInfo;
import io.github.grain.plugin.engine.module.ModuleParser;
import io.github.grain.plugin.engine.runtime.CompiledModule;
import io.github.grain.plugin.engine.runtime.Digests;
import io.github.grain.plugin.engine.runtime.HostFunction;
import io.github.grain.plugin.engine.runtime.InstancePool;
import io.github.grain.plugin.engine.runtime.WasmRuntime;
import io.github.grain.plugin.engine.runtime.WasmRuntimes;
import io.github.grain.plugin.engine.wit.GrainWorld;
import io.github.grain.plugin.engine.wit.Mangling;
import io.github.grain.plugin.engine.wit.WitFunction;
import io.github.grain.plugin.engine.wit.WorldBinding;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Loads plugins and owns the runtime they run on. One engine serves many plugins;
 * close it to release every native resource.
 *
 * <pre>
 * component ──ComponentReader──▶ main core module (+ canonical options of each lift)
 * bytes ──ModuleParser──▶ ModuleInfo ──WorldBinding.resolve──▶ exports type-checked (v1 / v2, either mangling)
 *   │                          └─ imports ──▶ grain:plugin/host (GrainHostImports) | wasi_snapshot_preview1 (WasiPreview1)
 *   │                                         | wasi:*@0.2.x (WasiPreview2; handles in the instance's ResourceTable)
 *   └──MemoryLimiter (cap the declared maximum)──WasmRuntime.compile──▶ CompiledModule ──link(host functions)──▶ InstancePool
 * call: InstancePool.instantiate ─▶ _initialize ─▶ init ─▶ export (lower args, call, lift result, post-return) ─▶ close
 * </pre>
 */
public final class PluginEngine implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(PluginEngine.class);

	private final PluginEngineOptions options;

	/** The runtimes started so far: the engine's own, and those plugins chose for themselves. */
	private final java.util.Map<WasmRuntimeKind, WasmRuntime> runtimes = new java.util.EnumMap<>(WasmRuntimeKind.class);

	private boolean closed;

	private final java.util.Map<CompiledModule, LoadedPlugin> loaded = new java.util.concurrent.ConcurrentHashMap<>();

	/**
	 * An engine on the runtime the options choose, found on the class path and started now
	 * (its compilation cache opened and trimmed); a runtime another plugin asks for starts
	 * with that plugin.
	 * @throws io.github.grain.plugin.engine.runtime.RuntimeNotAvailableException naming the
	 * artifact to add when that runtime's artifact is missing
	 */
	public PluginEngine(PluginEngineOptions options) {
		this.options = options;
		if (options.runtime() != WasmRuntimeKind.AUTO) {
			this.runtimes.put(options.runtime(), WasmRuntimes.create(options));
		}
	}

	/** An engine on the given runtime, which it owns from now on. */
	public PluginEngine(PluginEngineOptions options, WasmRuntime runtime) {
		if (options.runtime() == WasmRuntimeKind.AUTO) {
			throw new IllegalArgumentException("an engine given its runtime needs a runtime kind other than auto");
		}
		this.options = options;
		this.runtimes.put(options.runtime(), runtime);
	}

	/**
	 * The runtime of this kind, started on first use.
	 * @throws io.github.grain.plugin.engine.runtime.RuntimeNotAvailableException naming the
	 * artifact when a plugin asks for a runtime that is not on the class path
	 */
	private synchronized WasmRuntime runtime(WasmRuntimeKind kind) {
		if (this.closed) {
			throw new IllegalStateException("the plugin engine is closed");
		}
		WasmRuntime runtime = this.runtimes.get(kind);
		if (runtime == null) {
			runtime = WasmRuntimes.create(this.options.withRuntime(kind));
			this.runtimes.put(kind, runtime);
		}
		return runtime;
	}

	public PluginEngineOptions options() {
		return this.options;
	}

	/**
	 * Compile, link and initialise a plugin; read its tools (and roles and hooks).
	 * @param spec the plugin
	 * @return the loaded plugin
	 * @throws GrainPluginException naming the plugin when it cannot be loaded
	 */
	public LoadedPlugin load(PluginSpec spec) {
		long start = System.nanoTime();
		Loadable loadable = coreModule(spec);
		byte[] core = loadable.core();
		ModuleInfo module;
		try {
			module = ModuleParser.parse(core);
		}
		catch (MalformedBinaryException ex) {
			throw new InvalidPluginException("plugin '" + spec.name() + "' (" + spec.source() + "): " + ex.getMessage(),
					ex);
		}
		WorldBinding binding = WorldBinding.resolve(spec.name(), module);
		if (loadable.component() != null) {
			checkLifts(spec.name(), binding, loadable.component());
		}
		PluginHostContext context = new PluginHostContext(spec.name(), spec.capabilities(), spec.env(),
				LogFactory.getLog(PluginHostContext.GUEST_LOG_PREFIX + spec.name()), this.options.httpGateway(),
				this.options.maxLogBytesPerCall());
		PluginEngineOptions options = optionsFor(spec);
		if (options.runtime() == WasmRuntimeKind.AUTO) {
			WasmRuntimeKind chosen = WasmRuntimeKind.choose(core.length, WasmRuntimes::isAvailable);
			options = options.withRuntime(chosen);
			if (logger.isDebugEnabled()) {
				logger.debug("Plugin '" + spec.name() + "' (" + core.length + " bytes of code) runs on " + chosen.id()
						+ " (runtime auto)");
			}
		}
		WasmRuntime runtime = runtime(options.runtime());
		if (runtime.guestMemoryOnHeap()) {
			warnIfHeapCannotHoldTheMemories(spec.name(), options);
		}
		List<HostFunction> imports = linkImports(spec.name(), module, binding, context, options.maxResultBytes());
		CompiledModule compiled = runtime.compile(spec.name(),
				MemoryLimiter.limit(spec.name(), core, options.maxMemoryBytes()));
		InstancePool pool;
		try {
			pool = compiled.link(imports, binding.initialize());
		}
		catch (RuntimeException ex) {
			compiled.close();
			throw ex;
		}
		try {
			DefaultLoadedPlugin plugin = DefaultLoadedPlugin.initialise(spec, Digests.sha256(spec.wasm()), binding, compiled,
					pool, options, () -> this.loaded.remove(compiled));
			this.loaded.put(compiled, plugin);
			if (logger.isDebugEnabled()) {
				logger.debug("Loaded plugin '" + spec.name() + "' (" + binding.world() + ", " + plugin.tools().size()
						+ " tools) in " + (System.nanoTime() - start) / 1_000_000 + " ms");
			}
			return plugin;
		}
		catch (RuntimeException ex) {
			pool.close();
			compiled.close();
			throw ex;
		}
	}

	/**
	 * Where guest memory lives on the JVM heap (Chicory), a plugin whose calls in flight
	 * may together grow past half the heap is worth a warning before a guest proves it.
	 */
	private static void warnIfHeapCannotHoldTheMemories(String plugin, PluginEngineOptions options) {
		long worst = options.maxMemoryBytes() * options.maxConcurrentCallsPerPlugin();
		if (worst > Runtime.getRuntime().maxMemory() / 2) {
			logger.warn("Plugin '" + plugin + "' runs where guest memory is on the heap (Chicory): "
					+ options.maxConcurrentCallsPerPlugin() + " calls in flight of up to "
					+ options.maxMemoryBytes() / (1024 * 1024) + " MiB each may take " + worst / (1024 * 1024)
					+ " MiB, more than half of the maximum heap (" + Runtime.getRuntime().maxMemory() / (1024 * 1024)
					+ " MiB); lower max-memory or max-concurrent-calls-per-plugin, or raise -Xmx");
		}
	}

	/** The engine's options with the plugin's own limits applied. */
	private PluginEngineOptions optionsFor(PluginSpec spec) {
		PluginEngineOptions options = this.options;
		if (spec.callTimeout() != null) {
			options = options.withCallTimeout(spec.callTimeout());
		}
		if (spec.maxMemoryBytes() != null) {
			options = options.withMaxMemoryBytes(spec.maxMemoryBytes());
		}
		if (spec.runtime() != null) {
			options = options.withRuntime(spec.runtime());
		}
		return options;
	}

	/**
	 * The core module to run: the bytes themselves, or a component's main module (its
	 * adapter, shim and fixup modules are not run: the host provides their imports).
	 */
	private static Loadable coreModule(PluginSpec spec) {
		WasmBinaryKind kind;
		try {
			kind = WasmBinaryKind.detect(spec.wasm());
		}
		catch (MalformedBinaryException ex) {
			throw new InvalidPluginException("plugin '" + spec.name() + "' (" + spec.source()
					+ "): not a WebAssembly module or component: " + ex.getMessage(), ex);
		}
		if (kind == WasmBinaryKind.CORE_MODULE) {
			return new Loadable(spec.wasm(), null);
		}
		try {
			ComponentModel component = ComponentReader.read(spec.wasm(), spec.source());
			return new Loadable(component.mainModule(), component);
		}
		catch (MalformedBinaryException ex) {
			throw new InvalidPluginException("plugin '" + spec.name() + "' (" + spec.source() + "): component "
					+ ex.getMessage(), ex);
		}
		catch (InvalidPluginException ex) {
			throw new InvalidPluginException("plugin '" + spec.name() + "': " + ex.getMessage(), ex);
		}
	}

	/**
	 * A component's lifts are authoritative for how each export is called: every export
	 * the world needs must be lifted, with the memory and post-return the binding chose.
	 */
	private static void checkLifts(String plugin, WorldBinding binding, ComponentModel component) {
		List<String> problems = new ArrayList<>();
		for (WorldBinding.BoundExport export : binding.exports().values()) {
			Optional<CanonicalLift> lift = component.lift(export.coreName());
			if (lift.isEmpty()) {
				problems.add("export '" + export.coreName() + "' is not lifted by the component");
				continue;
			}
			CanonicalOptions options = lift.get().options();
			if (options.memoryExport() != null && !options.memoryExport().equals(binding.memory())) {
				problems.add("lift of '" + export.coreName() + "' uses memory '" + options.memoryExport()
						+ "', expected '" + binding.memory() + "'");
			}
			if (!java.util.Objects.equals(options.postReturnExport(), export.postReturn())) {
				problems.add("lift of '" + export.coreName() + "' names post-return '" + options.postReturnExport()
						+ "', the module exports '" + export.postReturn() + "'");
			}
		}
		if (!problems.isEmpty()) {
			throw new InvalidPluginException("plugin '" + plugin + "' component does not match its main module: "
					+ String.join("; ", problems));
		}
	}

	private record Loadable(byte[] core, @Nullable ComponentModel component) {
	}

	/**
	 * One host function per import, in import order; every import that cannot be
	 * satisfied is named in one error.
	 */
	private static List<HostFunction> linkImports(String plugin, ModuleInfo module, WorldBinding binding,
			PluginHostContext context, int maxParamBytes) {
		List<HostFunction> functions = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		for (ModuleInfo.Import imported : module.imports()) {
			String where = "'" + imported.module() + "' '" + imported.name() + "'";
			if (imported.kind() != ExternKind.FUNC || imported.functionType() == null) {
				problems.add(imported.kind().name().toLowerCase(java.util.Locale.ROOT) + " import " + where);
				continue;
			}
			try {
				if (imported.module().equals(WasiPreview1.MODULE)) {
					functions.add(interruptible(plugin, where, WasiPreview1.function(imported.name(),
							imported.functionType(), context, binding.memory())));
					continue;
				}
				if (WasiPreview2.isWasi(imported.module())) {
					functions.add(interruptible(plugin, where, WasiPreview2.function(imported.module(), imported.name(),
							imported.functionType(), context, binding.memory(), binding.realloc(), maxParamBytes)));
					continue;
				}
				Optional<WitFunction> host = hostFunction(imported.module(), imported.name());
				if (host.isEmpty()) {
					problems.add("unknown import " + where);
					continue;
				}
				WitFunction function = host.get();
				if (!function.importType().equals(imported.functionType())) {
					problems.add("import " + where + " has type " + imported.functionType() + ", expected "
							+ function.importType());
					continue;
				}
				functions.add(interruptible(plugin, where,
						GrainHostImports.canonical(function, GrainHostImports.forFunction(function).orElseThrow(), context,
								binding.memory(), binding.realloc(), maxParamBytes)));
			}
			catch (InvalidPluginException ex) {
				problems.add(ex.getMessage());
			}
		}
		if (!problems.isEmpty()) {
			throw new InvalidPluginException("plugin '" + plugin + "' needs imports this host does not provide: "
					+ String.join("; ", problems));
		}
		return functions;
	}

	/**
	 * A host import that stops its guest when the thread running the call has been
	 * interrupted (the call was cancelled), before and after doing its work: a guest that
	 * keeps calling the host, or waits on it (HTTP), stops there. A guest that only
	 * computes is stopped by the runtime: at once where it watches interruption, at its
	 * deadline otherwise.
	 */
	private static HostFunction interruptible(String plugin, String where, HostFunction function) {
		String what = "host import " + where;
		return HostFunction.of(function.type(), (caller, args) -> {
			GuestTrapException.throwIfInterrupted(plugin, what);
			long[] results = function.call(caller, args);
			GuestTrapException.throwIfInterrupted(plugin, "returning from " + what);
			return results;
		});
	}

	private static Optional<WitFunction> hostFunction(String module, String name) {
		for (Mangling mangling : Mangling.values()) {
			if (module.equals(mangling.importModule(GrainWorld.HOST))) {
				return GrainWorld.HOST_IMPORTS.stream().filter((f) -> f.name().equals(name)).findFirst();
			}
		}
		return Optional.empty();
	}

	/** Closes every plugin still loaded, then the runtime. */
	@Override
	public void close() {
		for (LoadedPlugin plugin : List.copyOf(this.loaded.values())) {
			plugin.close();
		}
		List<WasmRuntime> runtimes;
		synchronized (this) {
			this.closed = true;
			runtimes = List.copyOf(this.runtimes.values());
		}
		runtimes.forEach(WasmRuntime::close);
	}

}
