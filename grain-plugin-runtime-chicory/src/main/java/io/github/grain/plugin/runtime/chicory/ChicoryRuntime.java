package io.github.grain.plugin.runtime.chicory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Function;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import io.github.grain.plugin.engine.CompilationCacheOptions;
import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.runtime.CompilationCache;
import io.github.grain.plugin.engine.runtime.CompiledModule;
import io.github.grain.plugin.engine.runtime.Digests;
import io.github.grain.plugin.engine.runtime.WasmRuntime;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * {@link WasmRuntime} on Chicory, a WebAssembly runtime in pure Java. A module is parsed
 * and validated, then compiled to JVM bytecode once (functions too large for one JVM
 * method run in Chicory's interpreter); every instance is a plain Java object graph
 * whose linear memory lives on the heap, so nothing native can leak or crash the JVM.
 * Deadlines interrupt the guest's thread ({@link ChicoryDeadlines}). With a cache, the
 * generated classes are kept across restarts in the {@link CompilationCache}.
 */
public final class ChicoryRuntime implements WasmRuntime {

	private static final Log logger = LogFactory.getLog(ChicoryRuntime.class);

	private final ChicoryDeadlines deadlines = new ChicoryDeadlines();

	private final @Nullable CompilationCache cache;

	private volatile boolean closed;

	/**
	 * @param cache where generated classes are cached across restarts, or {@code null} for
	 * no cache
	 */
	public ChicoryRuntime(@Nullable CompilationCacheOptions cache) {
		this.cache = (cache != null) ? CompilationCache.open(cache, "chicory", version()) : null;
	}

	/**
	 * The compiler's version, which the generated classes depend on. Chicory keys its cache
	 * by module digest alone, so without it an upgrade would load the old version's classes.
	 */
	static @Nullable String version() {
		try (InputStream in = MachineFactoryCompiler.class
			.getResourceAsStream("/META-INF/maven/com.dylibso.chicory/compiler/pom.properties")) {
			if (in == null) {
				return null;
			}
			Properties properties = new Properties();
			properties.load(in);
			return properties.getProperty("version");
		}
		catch (IOException ex) {
			return null;
		}
	}

	@Override
	public CompiledModule compile(String name, byte[] coreModule) {
		ensureOpen();
		long start = System.nanoTime();
		WasmModule module;
		Function<Instance, Machine> machines;
		try {
			module = Parser.parse(coreModule);
			machines = machines(name, module, coreModule);
		}
		catch (ChicoryException | IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException ex) {
			throw new InvalidPluginException("plugin '" + name + "': chicory rejected the module: " + ex.getMessage(),
					ex);
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Compiled plugin '" + name + "' (" + coreModule.length + " bytes) to JVM bytecode in "
					+ Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
		}
		return new ChicoryCompiledModule(this, name, module, machines);
	}

	/**
	 * Compile, through the cache when there is one. Classes that passed the cache's checks
	 * and still fail to load (a Chicory build that reports the same version) cost one
	 * warning and a compile, never the plugin.
	 */
	private Function<Instance, Machine> machines(String name, WasmModule module, byte[] coreModule) {
		if (this.cache == null || !this.cache.isOn()) {
			return compiler(module).compile();
		}
		ChicoryClassCache classes = new ChicoryClassCache(this.cache, name, Digests.sha256(coreModule));
		try {
			return compiler(module).withCache(classes).compile();
		}
		catch (RuntimeException | LinkageError ex) {
			if (!classes.served()) {
				throw ex;
			}
			classes.discard(ex);
			return compiler(module).withCache(classes).compile();
		}
	}

	private static MachineFactoryCompiler.Builder compiler(WasmModule module) {
		return MachineFactoryCompiler.builder(module).withInterpreterFallback(InterpreterFallback.SILENT);
	}

	/** Chicory's memories are Java byte arrays. */
	@Override
	public boolean guestMemoryOnHeap() {
		return true;
	}

	ChicoryDeadlines deadlines() {
		return this.deadlines;
	}

	void ensureOpen() {
		if (this.closed) {
			throw new IllegalStateException("chicory runtime is closed");
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.deadlines.close();
	}

}
