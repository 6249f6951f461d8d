package io.github.grain.plugin.engine.wasmtime;

import io.github.kawamuray.wasmtime.NativeLibraryLoader;

/**
 * Loads wasmtime-java's JNI library once per JVM.
 */
final class NativeLibrary {

	private NativeLibrary() {
	}

	static void load() {
		NativeLibraryLoader.init();
	}

}
