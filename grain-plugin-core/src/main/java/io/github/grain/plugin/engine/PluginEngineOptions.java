package io.github.grain.plugin.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import io.github.grain.plugin.engine.host.HttpGateway;
import org.jspecify.annotations.Nullable;

/**
 * Engine-wide settings. Immutable; use the {@code with…} methods to derive.
 * @param httpGateway how guests reach the network (deny-all by default)
 * @param callTimeout the deadline of every guest call (init, tools, hooks)
 * @param maxMemoryBytes the cap on one instance's linear memory
 * @param maxResultBytes the cap on any string or list a guest hands back
 * @param instancesPerStore how many fresh instances share one pooled wasmtime store before it is
 * recycled (wasmtime only: Chicory instances are plain objects, nothing is pooled)
 * @param maxLogBytesPerCall how much a guest may log in one call before further output is dropped
 * @param compilationCache where compiled code is cached across restarts, and how much of it;
 * {@code null} to compile every time
 * @param maxConcurrentCallsPerPlugin calls one plugin may have in flight; more wait their turn
 * (see {@link CallPermits})
 * @param maxWaitingCallsPerPlugin calls that may wait for one of a plugin's call slots; more are
 * refused at once with {@link PluginBusyException}
 * @param busyWait how long a call may wait for one of its plugin's call slots before it is refused
 * with {@link PluginBusyException}; {@code null} for as long as its deadline allows (the wait counts
 * against the deadline), zero to refuse at once
 * @param runtime the WebAssembly runtime plugins run on
 */
public record PluginEngineOptions(HttpGateway httpGateway, Duration callTimeout, long maxMemoryBytes,
		int maxResultBytes, int instancesPerStore, int maxLogBytesPerCall, @Nullable CompilationCacheOptions compilationCache,
		int maxConcurrentCallsPerPlugin, int maxWaitingCallsPerPlugin, @Nullable Duration busyWait,
		WasmRuntimeKind runtime) {

	/** The largest memory cap: the host views guest memory through one Java buffer. */
	public static final long MAX_MEMORY_BYTES = (long) Integer.MAX_VALUE + 1 - 65536;

	public PluginEngineOptions {
		Objects.requireNonNull(httpGateway, "httpGateway");
		Objects.requireNonNull(runtime, "runtime");
		if (callTimeout.isNegative() || callTimeout.isZero()) {
			throw new IllegalArgumentException("callTimeout must be positive: " + callTimeout);
		}
		if (maxMemoryBytes < 65536 || maxMemoryBytes > MAX_MEMORY_BYTES) {
			throw new IllegalArgumentException(
					"maxMemoryBytes must be between one page (65536) and " + MAX_MEMORY_BYTES + ": " + maxMemoryBytes);
		}
		if (maxResultBytes < 1) {
			throw new IllegalArgumentException("maxResultBytes must be positive: " + maxResultBytes);
		}
		if (maxLogBytesPerCall < 0) {
			throw new IllegalArgumentException("maxLogBytesPerCall must not be negative: " + maxLogBytesPerCall);
		}
		if (maxConcurrentCallsPerPlugin < 1) {
			throw new IllegalArgumentException(
					"maxConcurrentCallsPerPlugin must be positive: " + maxConcurrentCallsPerPlugin);
		}
		if (maxWaitingCallsPerPlugin < 0) {
			throw new IllegalArgumentException(
					"maxWaitingCallsPerPlugin must not be negative: " + maxWaitingCallsPerPlugin);
		}
		if (busyWait != null && busyWait.isNegative()) {
			throw new IllegalArgumentException("busyWait must not be negative: " + busyWait);
		}
		if (instancesPerStore < 1) {
			throw new IllegalArgumentException("instancesPerStore must be positive: " + instancesPerStore);
		}
	}

	/**
	 * Deny-all HTTP, 10 s deadline, 64 MiB memory, 16 MiB results, 256 instances per store,
	 * 64 KiB of log per call, no compilation cache, 32 concurrent calls per plugin and 100 more
	 * waiting as long as their deadline allows, on wasmtime.
	 */
	public static PluginEngineOptions defaults() {
		return new PluginEngineOptions(HttpGateway.denyAll(), Duration.ofSeconds(10), 64L * 1024 * 1024,
				16 * 1024 * 1024, 256, 64 * 1024, null, 32, 100, null, WasmRuntimeKind.WASMTIME);
	}

	public PluginEngineOptions withRuntime(WasmRuntimeKind kind) {
		return new PluginEngineOptions(this.httpGateway, this.callTimeout, this.maxMemoryBytes, this.maxResultBytes,
				this.instancesPerStore, this.maxLogBytesPerCall, this.compilationCache,
				this.maxConcurrentCallsPerPlugin, this.maxWaitingCallsPerPlugin, this.busyWait, kind);
	}

	public PluginEngineOptions withMaxConcurrentCallsPerPlugin(int calls) {
		return new PluginEngineOptions(this.httpGateway, this.callTimeout, this.maxMemoryBytes, this.maxResultBytes,
				this.instancesPerStore, this.maxLogBytesPerCall, this.compilationCache, calls,
				this.maxWaitingCallsPerPlugin, this.busyWait, this.runtime);
	}

	public PluginEngineOptions withMaxWaitingCallsPerPlugin(int calls) {
		return new PluginEngineOptions(this.httpGateway, this.callTimeout, this.maxMemoryBytes, this.maxResultBytes,
				this.instancesPerStore, this.maxLogBytesPerCall, this.compilationCache,
				this.maxConcurrentCallsPerPlugin, calls, this.busyWait, this.runtime);
	}

	public PluginEngineOptions withBusyWait(@Nullable Duration wait) {
		return new PluginEngineOptions(this.httpGateway, this.callTimeout, this.maxMemoryBytes, this.maxResultBytes,
				this.instancesPerStore, this.maxLogBytesPerCall, this.compilationCache,
				this.maxConcurrentCallsPerPlugin, this.maxWaitingCallsPerPlugin, wait, this.runtime);
	}

	/**
	 * Cache compiled code in a directory, bounded by
	 * {@link CompilationCacheOptions#DEFAULT_MAX_BYTES}.
	 * @param directory the cache's directory, or {@code null} to compile every time
	 */
	public PluginEngineOptions withCompilationCache(@Nullable Path directory) {
		return withCompilationCache(directory, CompilationCacheOptions.DEFAULT_MAX_BYTES);
	}

	/**
	 * Cache compiled code in a directory, within a bound.
	 * @param directory the cache's directory, or {@code null} to compile every time
	 * @param maxBytes the bound on the entries' total size
	 */
	public PluginEngineOptions withCompilationCache(@Nullable Path directory, long maxBytes) {
		return new PluginEngineOptions(this.httpGateway, this.callTimeout, this.maxMemoryBytes, this.maxResultBytes,
				this.instancesPerStore, this.maxLogBytesPerCall,
				(directory != null) ? new CompilationCacheOptions(directory, maxBytes) : null,
				this.maxConcurrentCallsPerPlugin, this.maxWaitingCallsPerPlugin, this.busyWait, this.runtime);
	}

	public PluginEngineOptions withHttpGateway(HttpGateway gateway) {
		return new PluginEngineOptions(gateway, this.callTimeout, this.maxMemoryBytes, this.maxResultBytes,
				this.instancesPerStore, this.maxLogBytesPerCall, this.compilationCache,
				this.maxConcurrentCallsPerPlugin, this.maxWaitingCallsPerPlugin, this.busyWait, this.runtime);
	}

	public PluginEngineOptions withCallTimeout(Duration timeout) {
		return new PluginEngineOptions(this.httpGateway, timeout, this.maxMemoryBytes, this.maxResultBytes,
				this.instancesPerStore, this.maxLogBytesPerCall, this.compilationCache,
				this.maxConcurrentCallsPerPlugin, this.maxWaitingCallsPerPlugin, this.busyWait, this.runtime);
	}

	public PluginEngineOptions withMaxMemoryBytes(long bytes) {
		return new PluginEngineOptions(this.httpGateway, this.callTimeout, bytes, this.maxResultBytes,
				this.instancesPerStore, this.maxLogBytesPerCall, this.compilationCache,
				this.maxConcurrentCallsPerPlugin, this.maxWaitingCallsPerPlugin, this.busyWait, this.runtime);
	}

	public PluginEngineOptions withMaxResultBytes(int bytes) {
		return new PluginEngineOptions(this.httpGateway, this.callTimeout, this.maxMemoryBytes, bytes,
				this.instancesPerStore, this.maxLogBytesPerCall, this.compilationCache,
				this.maxConcurrentCallsPerPlugin, this.maxWaitingCallsPerPlugin, this.busyWait, this.runtime);
	}

	public PluginEngineOptions withMaxLogBytesPerCall(int bytes) {
		return new PluginEngineOptions(this.httpGateway, this.callTimeout, this.maxMemoryBytes, this.maxResultBytes,
				this.instancesPerStore, bytes, this.compilationCache, this.maxConcurrentCallsPerPlugin,
				this.maxWaitingCallsPerPlugin, this.busyWait, this.runtime);
	}

	public PluginEngineOptions withInstancesPerStore(int count) {
		return new PluginEngineOptions(this.httpGateway, this.callTimeout, this.maxMemoryBytes, this.maxResultBytes,
				count, this.maxLogBytesPerCall, this.compilationCache, this.maxConcurrentCallsPerPlugin,
				this.maxWaitingCallsPerPlugin, this.busyWait, this.runtime);
	}

}
