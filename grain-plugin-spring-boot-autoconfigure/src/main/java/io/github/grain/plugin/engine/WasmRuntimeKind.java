package io.github.grain.plugin.engine;

/**
 * Which WebAssembly runtime an engine runs plugins on. Both pass the same conformance
 * and hostile-guest suites; they differ in cost (see BENCHMARKS.md).
 */
public enum WasmRuntimeKind {

	/**
	 * wasmtime 7 over JNI (wasmtime-java): Cranelift-compiled code with a disk cache, fast
	 * for compute-heavy guests; each call pays JNI crossings; native memory outside the heap.
	 */
	WASMTIME,

	/**
	 * Chicory, pure Java: wasm compiled to JVM bytecode at load, no native library and no
	 * JNI crash mode, linear memory on the Java heap, the cheapest fresh-instance calls.
	 */
	CHICORY

}
