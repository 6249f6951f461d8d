package io.github.grain.plugin.engine.runtime;

import java.util.ServiceLoader;

import io.github.grain.plugin.engine.PluginEngineOptions;
import io.github.grain.plugin.engine.WasmRuntimeKind;

/**
 * Finds the runtime an engine asks for among the runtime artifacts on the class path.
 */
public final class WasmRuntimes {

	private WasmRuntimes() {
	}

	/**
	 * A new runtime of the kind the options choose.
	 * @param options the engine's options
	 * @return the runtime, owned by the caller
	 * @throws RuntimeNotAvailableException naming the artifact to add when that runtime is
	 * not on the class path
	 */
	public static WasmRuntime create(PluginEngineOptions options) {
		return provider(options.runtime()).create(options);
	}

	/** Whether a runtime of this kind is on the class path. */
	public static boolean isAvailable(WasmRuntimeKind kind) {
		return find(kind) != null;
	}

	private static WasmRuntimeProvider provider(WasmRuntimeKind kind) {
		WasmRuntimeProvider provider = find(kind);
		if (provider == null) {
			throw new RuntimeNotAvailableException(kind);
		}
		return provider;
	}

	private static WasmRuntimeProvider find(WasmRuntimeKind kind) {
		for (ClassLoader loader : new ClassLoader[] { Thread.currentThread().getContextClassLoader(),
				WasmRuntimes.class.getClassLoader() }) {
			if (loader == null) {
				continue;
			}
			for (WasmRuntimeProvider provider : ServiceLoader.load(WasmRuntimeProvider.class, loader)) {
				if (provider.kind() == kind) {
					return provider;
				}
			}
		}
		return null;
	}

}
