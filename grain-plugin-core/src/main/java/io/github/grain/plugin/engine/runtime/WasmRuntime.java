package io.github.grain.plugin.engine.runtime;

/**
 * The small interface the engine needs from a WebAssembly runtime: compile a core
 * module, link it against host functions into a pool that hands out fresh instances,
 * call exports, view memory, and stop a guest at its deadline. Nothing above this
 * package sees a runtime's own types.
 */
public interface WasmRuntime extends AutoCloseable {

	/**
	 * Compile a core module.
	 * @param name who the module belongs to, quoted in errors
	 * @param coreModule the module's bytes
	 * @return the compiled module
	 * @throws io.github.grain.plugin.engine.InvalidPluginException when the runtime rejects it
	 */
	CompiledModule compile(String name, byte[] coreModule);

	/**
	 * Whether guest linear memory is allocated on the Java heap (and so counts against
	 * {@code -Xmx}) rather than outside it.
	 */
	default boolean guestMemoryOnHeap() {
		return false;
	}

	/** Releases the runtime and everything compiled with it. */
	@Override
	void close();

}
