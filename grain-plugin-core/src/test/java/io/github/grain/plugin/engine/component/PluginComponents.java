package io.github.grain.plugin.engine.component;

import static io.github.grain.plugin.engine.component.ComponentBytes.CORE_FUNC;
import static io.github.grain.plugin.engine.component.ComponentBytes.CORE_MEMORY;
import static io.github.grain.plugin.engine.component.ComponentBytes.FUNC;
import static io.github.grain.plugin.engine.component.ComponentBytes.INSTANCE;
import static io.github.grain.plugin.engine.component.ComponentBytes.aliasCoreExport;
import static io.github.grain.plugin.engine.component.ComponentBytes.aliasExport;
import static io.github.grain.plugin.engine.component.ComponentBytes.canonLift;
import static io.github.grain.plugin.engine.component.ComponentBytes.canonLower;
import static io.github.grain.plugin.engine.component.ComponentBytes.coreExports;
import static io.github.grain.plugin.engine.component.ComponentBytes.export;
import static io.github.grain.plugin.engine.component.ComponentBytes.funcType;
import static io.github.grain.plugin.engine.component.ComponentBytes.importInstance;
import static io.github.grain.plugin.engine.component.ComponentBytes.instanceExports;
import static io.github.grain.plugin.engine.component.ComponentBytes.instanceType;
import static io.github.grain.plugin.engine.component.ComponentBytes.instantiate;
import static io.github.grain.plugin.engine.component.ComponentBytes.memory;
import static io.github.grain.plugin.engine.component.ComponentBytes.postReturn;
import static io.github.grain.plugin.engine.component.ComponentBytes.realloc;
import static io.github.grain.plugin.engine.component.ComponentBytes.utf8;

import java.util.Arrays;
import java.util.List;

/**
 * Components shaped like what wit-component emits for a grain plugin (CONTRACT §4):
 * main, the preview1 adapter, a shim of trampolines and a fixup module, wired the same
 * way, with the lifts at the end. Small enough to truncate and mutate byte by byte.
 */
final class PluginComponents {

	static final byte[] MAIN = ComponentBytes.coreModule("main");

	static final byte[] ADAPTER = ComponentBytes.coreModule("adapter");

	static final byte[] SHIM = ComponentBytes.coreModule("shim");

	static final byte[] FIXUP = ComponentBytes.coreModule("fixup");

	private PluginComponents() {
	}

	/** Main is module 0, as wit-component orders them. */
	static ComponentBytes witComponentLayout() {
		return withModuleOrder(List.of(MAIN, ADAPTER, SHIM, FIXUP));
	}

	/**
	 * The same wiring with the four modules in the given order.
	 */
	static ComponentBytes withModuleOrder(List<byte[]> order) {
		int main = indexOf(order, MAIN);
		int adapter = indexOf(order, ADAPTER);
		int shim = indexOf(order, SHIM);
		int fixup = indexOf(order, FIXUP);
		ComponentBytes component = ComponentBytes.component()
			.types(instanceType(), funcType())
			.imports(importInstance("grain:plugin/host", 0));
		for (byte[] module : order) {
			component.coreModuleSection(module);
		}
		return component.coreInstances(instantiate(shim))
			// core funcs 0, 1: shim trampolines for the host imports; 2: for preview1
			.aliases(aliasCoreExport(CORE_FUNC, 0, "0"), aliasCoreExport(CORE_FUNC, 0, "1"),
					aliasCoreExport(CORE_FUNC, 0, "2"))
			.coreInstances(coreExports("log", CORE_FUNC, 0, "env-get", CORE_FUNC, 1),
					coreExports("fd_write", CORE_FUNC, 2),
					instantiate(main, "grain:plugin/host", 1, "wasi_snapshot_preview1", 2))
			// core memory 0 and core func 3 come from main (instance 3)
			.aliases(aliasCoreExport(CORE_MEMORY, 3, "memory"), aliasCoreExport(CORE_FUNC, 3, "cabi_realloc"))
			.coreInstances(coreExports("memory", CORE_MEMORY, 0), coreExports("cabi_realloc", CORE_FUNC, 3),
					instantiate(adapter, "env", 4, "__main_module__", 5))
			// func 0: the imported log; core func 4: its lowering; core func 5: the adapter's fd_write
			.aliases(aliasExport(FUNC, 0, "log"))
			.canons(canonLower(0, memory(0), utf8()))
			.aliases(aliasCoreExport(CORE_FUNC, 6, "fd_write"))
			.coreInstances(coreExports("0", CORE_FUNC, 4, "2", CORE_FUNC, 5), instantiate(fixup, "", 7))
			// core funcs 6..9: main's exports; funcs 1, 2: the lifts
			.aliases(aliasCoreExport(CORE_FUNC, 3, "grain:plugin/plugin#init"),
					aliasCoreExport(CORE_FUNC, 3, "cabi_post_grain:plugin/plugin#init"))
			.canons(canonLift(6, 1, memory(0), utf8(), postReturn(7)))
			.aliases(aliasCoreExport(CORE_FUNC, 3, "grain:plugin/plugin#call-tool"),
					aliasCoreExport(CORE_FUNC, 3, "cabi_post_grain:plugin/plugin#call-tool"))
			.canons(canonLift(8, 1, memory(0), realloc(3), utf8(), postReturn(9)))
			.instances(instanceExports("init", FUNC, 1, "call-tool", FUNC, 2))
			.exports(export("grain:plugin/plugin", INSTANCE, 1));
	}

	private static int indexOf(List<byte[]> modules, byte[] module) {
		for (int i = 0; i < modules.size(); i++) {
			if (Arrays.equals(modules.get(i), module)) {
				return i;
			}
		}
		throw new IllegalArgumentException("module not in the list");
	}

}
