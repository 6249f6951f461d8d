package io.github.grain.plugin.engine.wasmtime;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.runtime.CompiledModule;
import io.github.grain.plugin.engine.runtime.WasmRuntime;
import io.github.kawamuray.wasmtime.Config;
import io.github.kawamuray.wasmtime.Engine;
import io.github.kawamuray.wasmtime.Module;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * {@link WasmRuntime} on wasmtime-java (wasmtime 7 over JNI). One {@link Engine} with
 * epoch interruption; a daemon ticker advances the epoch every {@link #TICK}, so a
 * deadline of {@code d} traps the guest within about one tick after {@code d}.
 */
public final class WasmtimeRuntime implements WasmRuntime {

	private static final Log logger = LogFactory.getLog(WasmtimeRuntime.class);

	/** Epoch period: the granularity of deadlines. */
	static final Duration TICK = Duration.ofMillis(10);

	private final Engine engine;

	private final ScheduledExecutorService ticker;

	private final int instancesPerStore;

	private volatile boolean closed;

	/**
	 * @param instancesPerStore fresh instances created in one pooled store before it is
	 * recycled (a store keeps every instance's memory until it is disposed)
	 */
	public WasmtimeRuntime(int instancesPerStore) {
		this(instancesPerStore, Long.getLong("grain.wasmtime.static-memory-max", 4L << 30),
				Long.getLong("grain.wasmtime.static-memory-guard", 2L << 30));
	}

	/**
	 * @param instancesPerStore fresh instances created in one pooled store before it is recycled
	 * @param staticMemoryMaximum the memory size wasmtime reserves up front per instance
	 * @param staticMemoryGuard the guard region after each static memory
	 */
	public WasmtimeRuntime(int instancesPerStore, long staticMemoryMaximum, long staticMemoryGuard) {
		this.instancesPerStore = instancesPerStore;
		NativeLibrary.load();
		Config config = new Config().epochInterruption(true)
			.staticMemoryMaximumSize(staticMemoryMaximum)
			.staticMemoryGuardSize(staticMemoryGuard);
		this.engine = new Engine(config);
		this.ticker = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "grain-wasmtime-epoch");
			thread.setDaemon(true);
			return thread;
		});
		this.ticker.scheduleAtFixedRate(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void tick() {
		if (!this.closed) {
			this.engine.incrementEpoch();
		}
	}

	/** Epoch ticks for a deadline, rounded up, plus one for the tick in progress. */
	static long ticks(Duration deadline) {
		long tickNanos = TICK.toNanos();
		return Math.max(1, (deadline.toNanos() + tickNanos - 1) / tickNanos) + 1;
	}

	@Override
	public CompiledModule compile(String name, byte[] coreModule) {
		ensureOpen();
		long start = System.nanoTime();
		Module module;
		try {
			module = Module.fromBinary(this.engine, coreModule);
		}
		catch (RuntimeException ex) {
			throw new InvalidPluginException("plugin '" + name + "': wasmtime rejected the module: " + ex.getMessage(),
					ex);
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Compiled plugin '" + name + "' (" + coreModule.length + " bytes) in "
					+ Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
		}
		return new WasmtimeCompiledModule(this, name, module);
	}

	Engine engine() {
		return this.engine;
	}

	int instancesPerStore() {
		return this.instancesPerStore;
	}

	void ensureOpen() {
		if (this.closed) {
			throw new IllegalStateException("wasmtime runtime is closed");
		}
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.ticker.shutdownNow();
		try {
			this.ticker.awaitTermination(1, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.engine.dispose();
	}

}
