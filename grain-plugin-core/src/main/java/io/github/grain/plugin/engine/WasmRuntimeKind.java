package io.github.grain.plugin.engine;

import java.util.Locale;

/**
 * Which WebAssembly runtime an engine runs plugins on. Each is its own artifact, found on
 * the class path through {@link io.github.grain.plugin.engine.runtime.WasmRuntimeProvider}.
 * Both pass the same conformance and hostile-guest suites; they differ in cost (see
 * docs/benchmarks.md).
 */
public enum WasmRuntimeKind {

	/**
	 * wasmtime 7 over JNI (wasmtime-java): Cranelift-compiled code with a disk cache, fast
	 * for compute-heavy guests; each call pays JNI crossings; native memory outside the heap.
	 */
	WASMTIME("grain-plugin-runtime-wasmtime"),

	/**
	 * Chicory, pure Java: wasm compiled to JVM bytecode at load, no native library and no
	 * JNI crash mode, linear memory on the Java heap, the cheapest fresh-instance calls.
	 */
	CHICORY("grain-plugin-runtime-chicory"),

	/**
	 * Chosen per plugin when it loads, by {@link #choose}: Chicory for modules under
	 * {@link #AUTO_WASMTIME_FROM} bytes, wasmtime from there on (docs/runtimes.md). Never a
	 * runtime of its own: a plugin's reported runtime is the one chosen.
	 */
	AUTO("grain-plugin-runtime-wasmtime, grain-plugin-runtime-chicory");

	/**
	 * The core module size from which {@link #AUTO} chooses wasmtime: 1 MiB. Measured
	 * (docs/benchmarks.md, 2026-12-05): the C plugins (20–40 kB) call 33 times faster on
	 * Chicory (6.8 µs against 226 µs) and return 1 MB results faster too; the 12.5 MB
	 * componentize-js plugin calls 28 times faster on wasmtime (7.7 ms against 219 ms),
	 * because SpiderMonkey's largest functions are too large for a JVM method and Chicory
	 * interprets them. Engines of that size (JavaScript, Python) are the modules above it.
	 */
	public static final int AUTO_WASMTIME_FROM = 1024 * 1024;

	private final String artifactId;

	WasmRuntimeKind(String artifactId) {
		this.artifactId = artifactId;
	}

	/** The name used in properties and messages: {@code wasmtime}, {@code chicory}. */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The runtime {@code AUTO} runs a core module of this size on, among those on the
	 * class path: wasmtime from {@link #AUTO_WASMTIME_FROM} bytes on, Chicory below; the
	 * other one when only one is present.
	 * @param coreModuleSize the size of the module the runtime compiles, in bytes
	 * @param available whether a runtime is on the class path
	 */
	public static WasmRuntimeKind choose(int coreModuleSize, java.util.function.Predicate<WasmRuntimeKind> available) {
		WasmRuntimeKind preferred = (coreModuleSize >= AUTO_WASMTIME_FROM) ? WASMTIME : CHICORY;
		WasmRuntimeKind other = (preferred == WASMTIME) ? CHICORY : WASMTIME;
		return (available.test(preferred) || !available.test(other)) ? preferred : other;
	}

	/** The Maven coordinates ({@code groupId:artifactId}) of the artifact that provides this runtime. */
	public String artifact() {
		return "io.github.grain:" + this.artifactId;
	}

}
