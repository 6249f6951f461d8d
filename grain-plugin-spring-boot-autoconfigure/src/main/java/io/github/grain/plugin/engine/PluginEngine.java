package io.github.grain.plugin.engine;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import io.github.grain.plugin.engine.host.GrainHostImports;
import io.github.grain.plugin.engine.host.PluginHostContext;
import io.github.grain.plugin.engine.host.WasiPreview1;
import io.github.grain.plugin.engine.module.ExternKind;
import io.github.grain.plugin.engine.module.MemoryLimiter;
import io.github.grain.plugin.engine.module.ModuleInfo;
import io.github.grain.plugin.engine.module.ModuleParser;
import io.github.grain.plugin.engine.runtime.CompiledModule;
import io.github.grain.plugin.engine.runtime.HostFunction;
import io.github.grain.plugin.engine.runtime.InstancePool;
import io.github.grain.plugin.engine.runtime.WasmRuntime;
import io.github.grain.plugin.engine.wasmtime.WasmtimeRuntime;
import io.github.grain.plugin.engine.wit.GrainWorld;
import io.github.grain.plugin.engine.wit.Mangling;
import io.github.grain.plugin.engine.wit.WitFunction;
import io.github.grain.plugin.engine.wit.WorldBinding;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Loads plugins and owns the runtime they run on. One engine serves many plugins;
 * close it to release every native resource.
 *
 * <pre>
 * bytes ──ModuleParser──▶ ModuleInfo ──WorldBinding.resolve──▶ exports type-checked (v1 / v2, either mangling)
 *   │                          └─ imports ──▶ grain:plugin/host (GrainHostImports) | wasi_snapshot_preview1 (WasiPreview1)
 *   └──MemoryLimiter (cap the declared maximum)──WasmRuntime.compile──▶ CompiledModule ──link(host functions)──▶ InstancePool
 * call: InstancePool.instantiate ─▶ _initialize ─▶ init ─▶ export (lower args, call, lift result, post-return) ─▶ close
 * </pre>
 */
public final class PluginEngine implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(PluginEngine.class);

	private final PluginEngineOptions options;

	private final WasmRuntime runtime;

	/** An engine on wasmtime-java. */
	public PluginEngine(PluginEngineOptions options) {
		this(options, new WasmtimeRuntime(options.instancesPerStore()));
	}

	/** An engine on the given runtime, which it owns from now on. */
	public PluginEngine(PluginEngineOptions options, WasmRuntime runtime) {
		this.options = options;
		this.runtime = runtime;
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
		byte[] core = coreModule(spec);
		ModuleInfo module;
		try {
			module = ModuleParser.parse(core);
		}
		catch (MalformedBinaryException ex) {
			throw new InvalidPluginException("plugin '" + spec.name() + "' (" + spec.source() + "): " + ex.getMessage(),
					ex);
		}
		WorldBinding binding = WorldBinding.resolve(spec.name(), module);
		PluginHostContext context = new PluginHostContext(spec.name(), spec.capabilities(), spec.env(),
				LogFactory.getLog(PluginHostContext.GUEST_LOG_PREFIX + spec.name()), this.options.httpGateway(),
				this.options.maxLogBytesPerCall());
		List<HostFunction> imports = linkImports(spec.name(), module, binding, context);
		CompiledModule compiled = this.runtime.compile(spec.name(),
				MemoryLimiter.limit(spec.name(), core, this.options.maxMemoryBytes()));
		InstancePool pool;
		try {
			pool = compiled.link(imports, binding.initialize());
		}
		catch (RuntimeException ex) {
			compiled.close();
			throw ex;
		}
		try {
			DefaultLoadedPlugin plugin = DefaultLoadedPlugin.initialise(spec, sha256(spec.wasm()), binding, compiled,
					pool, this.options);
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

	private static byte[] coreModule(PluginSpec spec) {
		if (ModuleParser.isCoreModule(spec.wasm())) {
			return spec.wasm();
		}
		throw new InvalidPluginException("plugin '" + spec.name() + "' (" + spec.source()
				+ "): not a WebAssembly core module");
	}

	/**
	 * One host function per import, in import order; every import that cannot be
	 * satisfied is named in one error.
	 */
	private static List<HostFunction> linkImports(String plugin, ModuleInfo module, WorldBinding binding,
			PluginHostContext context) {
		List<HostFunction> functions = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		for (ModuleInfo.Import imported : module.imports()) {
			String where = "'" + imported.module() + "' '" + imported.name() + "'";
			if (imported.kind() != ExternKind.FUNC || imported.functionType() == null) {
				problems.add(imported.kind().name().toLowerCase() + " import " + where);
				continue;
			}
			try {
				if (imported.module().equals(WasiPreview1.MODULE)) {
					functions.add(WasiPreview1.function(imported.name(), imported.functionType(), context,
							binding.memory()));
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
				functions.add(GrainHostImports.canonical(function, GrainHostImports.forFunction(function).orElseThrow(),
						context, binding.memory(), binding.realloc(), context.maxLogBytesPerCall() + 16L * 1024 * 1024));
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

	private static Optional<WitFunction> hostFunction(String module, String name) {
		for (Mangling mangling : Mangling.values()) {
			if (module.equals(mangling.importModule(GrainWorld.HOST))) {
				return GrainWorld.HOST_IMPORTS.stream().filter((f) -> f.name().equals(name)).findFirst();
			}
		}
		return Optional.empty();
	}

	static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.runtime.close();
	}

}
