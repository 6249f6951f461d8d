package io.github.grain.plugin.runtime.wasmtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.grain.plugin.engine.CompilationCacheOptions;
import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.runtime.CompilationCache;
import io.github.grain.plugin.engine.runtime.CompiledModule;
import io.github.grain.plugin.engine.runtime.WasmRuntime;
import io.github.kawamuray.wasmtime.Config;
import io.github.kawamuray.wasmtime.Engine;
import io.github.kawamuray.wasmtime.Module;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * {@link WasmRuntime} on wasmtime-java (wasmtime 7 over JNI). Each compiled module gets
 * an {@link Engine} of its own while it lives: compiling holds the engine's lock, and on a
 * shared engine a long compile (seconds for a 12 MB JavaScript plugin) stalled every call
 * and the epoch ticker of the others. A daemon ticker advances every live engine's epoch
 * each {@link #TICK}, so a deadline of {@code d} traps the guest within about one tick
 * after {@code d}. With a cache, compiled code is kept across restarts in the
 * {@link CompilationCache} ({@link WasmtimeCodeCache} says how it reaches wasmtime).
 * <p>
 * Without a cache an engine is disposed with its module. With one, engines are reused:
 * wasmtime starts a cache worker thread for every engine loaded with a cache configuration,
 * and that thread outlives the engine (measured: each reload of a plugin left one thread
 * and two native mappings behind). A closed module's engine, its module disposed
 * and out of the ticker, waits idle for the next compile, so a runtime never has more
 * caching engines than it once had modules at the same time. Deadlines are per store,
 * counted from the engine's epoch when the instance starts, so an engine's history does not
 * matter to the next module on it.
 */
public final class WasmtimeRuntime implements WasmRuntime {

	private static final Log logger = LogFactory.getLog(WasmtimeRuntime.class);

	/** Epoch period: the granularity of deadlines. */
	static final Duration TICK = Duration.ofMillis(10);

	/** Reservation per memory: above any cap the engine allows (2 GiB), so memories never move. */
	static final long STATIC_MEMORY_MAXIMUM = 4L << 30;

	private final CopyOnWriteArrayList<Engine> engines = new CopyOnWriteArrayList<>();

	private final ScheduledExecutorService ticker;

	/** Held while the ticker advances epochs and while an engine leaves it, before disposal. */
	private final Object tickLock = new Object();

	/** Disposes retired stores and prepares spare ones off the callers' threads. */
	private final java.util.concurrent.ExecutorService maintenance;

	private final int instancesPerStore;

	private final @Nullable WasmtimeCodeCache cache;

	/** Caching engines between two modules; guarded by itself. */
	private final ArrayDeque<Lease> idleCachingEngines = new ArrayDeque<>();

	private final AtomicInteger cachingEnginesCreated = new AtomicInteger();

	private volatile boolean closed;

	/**
	 * @param instancesPerStore fresh instances created in one pooled store before it is
	 * recycled (a store keeps every instance's memory until it is disposed)
	 * @param cache where compiled code is cached across restarts, or {@code null} for no cache
	 */
	public WasmtimeRuntime(int instancesPerStore, @Nullable CompilationCacheOptions cache) {
		this.instancesPerStore = instancesPerStore;
		NativeLibrary.load();
		this.cache = (cache != null)
				? new WasmtimeCodeCache(CompilationCache.open(cache, "wasmtime", NativeLibrary.build())) : null;
		this.ticker = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "grain-wasmtime-epoch");
			thread.setDaemon(true);
			return thread;
		});
		// Fixed delay, not fixed rate: a late ticker must never catch up in a burst and expire deadlines early.
		this.maintenance = Executors.newSingleThreadExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "grain-wasmtime-maintenance");
			thread.setDaemon(true);
			return thread;
		});
		this.ticker.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Advance every live engine's epoch. Never throws: a scheduled executor cancels a
	 * periodic task for good once it throws, and then no deadline would fire again. An
	 * engine leaves the ticker under {@link #tickLock} before it is disposed, so the ticker
	 * never touches a disposed one; should an increment fail anyway, that engine is dropped from
	 * the ticker (its calls can no longer be interrupted, and this is logged) and the others
	 * keep ticking.
	 */
	void tick() {
		synchronized (this.tickLock) {
			for (Engine engine : this.engines) {
				try {
					engine.incrementEpoch();
				}
				catch (RuntimeException | LinkageError ex) {
					this.engines.remove(engine);
					logger.error("wasmtime engine epoch could not be advanced; its calls are no longer interrupted "
							+ "at their deadline: " + ex);
				}
			}
		}
	}

	/** Let the ticker advance this engine's epoch (tests add broken engines through this). */
	void track(Engine engine) {
		this.engines.add(engine);
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
		Lease lease = null;
		WasmtimeCodeCache.Handover handover = null;
		if (this.cache != null) {
			lease = takeCachingEngine();
			handover = (lease != null) ? this.cache.prepare(name, coreModule, lease.directory()) : null;
			if (lease != null && handover == null) {
				giveBack(lease);
				lease = null;
			}
		}
		if (lease == null) {
			lease = new Lease(newEngine(name), null);
		}
		Module module;
		try {
			module = Module.fromBinary(lease.engine(), coreModule);
		}
		catch (RuntimeException ex) {
			giveBack(lease);
			throw new InvalidPluginException("plugin '" + name + "': wasmtime rejected the module: " + ex.getMessage(),
					ex);
		}
		if (handover != null) {
			handover.collect();
		}
		track(lease.engine());
		if (logger.isDebugEnabled()) {
			logger.debug("Compiled plugin '" + name + "' (" + coreModule.length + " bytes) in "
					+ Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
		}
		return new WasmtimeCompiledModule(this, name, lease, module);
	}

	private Engine newEngine(String name) {
		try {
			return new Engine(config());
		}
		catch (RuntimeException ex) {
			throw new InvalidPluginException("plugin '" + name + "': cannot set up wasmtime: " + ex.getMessage(), ex);
		}
	}

	/**
	 * An idle caching engine, or a new one.
	 * @return the engine, or {@code null} when the cache is off or wasmtime refuses it
	 */
	private @Nullable Lease takeCachingEngine() {
		WasmtimeCodeCache cache = this.cache;
		synchronized (this.idleCachingEngines) {
			Lease idle = this.idleCachingEngines.pollFirst();
			if (idle != null) {
				return idle;
			}
		}
		if (cache == null || !cache.isOn()) {
			return null;
		}
		WasmtimeCodeCache.EngineDirectory directory = cache.newDirectory();
		if (directory == null) {
			return null;
		}
		try {
			Engine engine = new Engine(config().cacheConfigLoad(directory.config()));
			this.cachingEnginesCreated.incrementAndGet();
			return new Lease(engine, directory);
		}
		catch (RuntimeException ex) {
			directory.close();
			cache.refused(ex);
			return null;
		}
	}

	/** How many engines with a wasmtime cache this runtime has created. */
	int cachingEnginesCreated() {
		return this.cachingEnginesCreated.get();
	}

	/**
	 * An engine back from a module (disposed, out of the ticker) or from a failed compile:
	 * a caching engine waits for the next compile until the runtime closes, any other is
	 * disposed.
	 */
	private void giveBack(Lease lease) {
		if (lease.directory() != null) {
			synchronized (this.idleCachingEngines) {
				if (!this.closed) {
					this.idleCachingEngines.addFirst(lease);
					return;
				}
			}
		}
		lease.dispose();
	}

	/**
	 * Static memories (reserved up front, never moved) are what lets guest memory views keep
	 * a buffer across guest calls; wasmtime's default on 64-bit, pinned here.
	 */
	private static Config config() {
		return new Config().epochInterruption(true).staticMemoryMaximumSize(STATIC_MEMORY_MAXIMUM);
	}

	/**
	 * Run store housekeeping (disposing a retired store, creating a spare one) in the
	 * background: disposing a store of 256 instances takes milliseconds that no tool
	 * call should wait for. After close, the work runs on the caller.
	 */
	void maintain(Runnable work) {
		if (this.closed) {
			work.run();
			return;
		}
		try {
			this.maintenance.execute(work);
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			work.run();
		}
	}

	/** A module's engine, the module disposed: out of the ticker, then idle or disposed. */
	void release(Lease lease) {
		synchronized (this.tickLock) {
			this.engines.remove(lease.engine());
		}
		giveBack(lease);
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
		synchronized (this.idleCachingEngines) {
			this.closed = true;
			this.idleCachingEngines.forEach(Lease::dispose);
			this.idleCachingEngines.clear();
		}
		this.maintenance.shutdown();
		try {
			this.maintenance.awaitTermination(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.ticker.shutdownNow();
		try {
			this.ticker.awaitTermination(1, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * An engine lent to one module at a time.
	 * @param engine the engine
	 * @param directory its private wasmtime cache directory, for a caching engine
	 */
	record Lease(Engine engine, WasmtimeCodeCache.@Nullable EngineDirectory directory) {

		/** Dispose the engine, then delete its directory (its cache worker may still write there). */
		void dispose() {
			this.engine.dispose();
			if (this.directory != null) {
				this.directory.close();
			}
		}

	}

}
