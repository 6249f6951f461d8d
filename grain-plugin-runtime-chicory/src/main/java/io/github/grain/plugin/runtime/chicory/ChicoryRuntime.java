package io.github.grain.plugin.runtime.chicory;

import java.nio.file.Path;
import java.time.Duration;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.runtime.CompiledModule;
import io.github.grain.plugin.engine.runtime.WasmRuntime;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * {@link WasmRuntime} on Chicory, a WebAssembly runtime in pure Java. A module is parsed
 * and validated, then compiled to JVM bytecode once (functions too large for one JVM
 * method run in Chicory's interpreter); every instance is a plain Java object graph
 * whose linear memory lives on the heap, so nothing native can leak or crash the JVM.
 * Deadlines interrupt the guest's thread ({@link ChicoryDeadlines}). With a cache
 * directory, the generated classes are kept across restarts.
 */
public final class ChicoryRuntime implements WasmRuntime {

	private static final Log logger = LogFactory.getLog(ChicoryRuntime.class);

	private final ChicoryDeadlines deadlines = new ChicoryDeadlines();

	private final @Nullable ChicoryClassCache cache;

	private volatile boolean closed;

	/**
	 * @param cacheDirectory where generated classes are cached, or {@code null} for no cache
	 */
	public ChicoryRuntime(@Nullable Path cacheDirectory) {
		this.cache = (cacheDirectory != null) ? new ChicoryClassCache(cacheDirectory.resolve("chicory")) : null;
	}

	@Override
	public CompiledModule compile(String name, byte[] coreModule) {
		ensureOpen();
		long start = System.nanoTime();
		WasmModule module;
		java.util.function.Function<Instance, Machine> machines;
		try {
			module = Parser.parse(coreModule);
			MachineFactoryCompiler.Builder compiler = MachineFactoryCompiler.builder(module)
				.withInterpreterFallback(InterpreterFallback.SILENT);
			if (this.cache != null) {
				compiler.withCache(this.cache);
			}
			machines = compiler.compile();
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
