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
	CHICORY("grain-plugin-runtime-chicory");

	private final String artifactId;

	WasmRuntimeKind(String artifactId) {
		this.artifactId = artifactId;
	}

	/** The name used in properties and messages: {@code wasmtime}, {@code chicory}. */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The Maven coordinates ({@code groupId:artifactId}) of the artifact that provides this runtime. */
	public String artifact() {
		return "io.github.grain:" + this.artifactId;
	}

}
