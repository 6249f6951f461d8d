package io.github.grain.plugin.engine.component;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * What the engine needs to know of a component to run it without its adapters: the main
 * core module (the one every {@code canon lift} resolves to), how each lifted function
 * is called, and what the component imports and exports.
 * @param source where the bytes came from, for messages
 * @param mainModule a copy of the main core module's bytes (a complete core module)
 * @param mainModuleOffset byte offset of the main module inside the component file
 * @param mainModuleIndex index of the main module in the component's core module space
 * @param coreModuleCount how many core modules the component embeds (wit-component
 * emits main, the preview1 adapter, a shim and a fixup module)
 * @param mainInstantiationArgs the import module names main is instantiated with, in
 * order (e.g. {@code grain:plugin/host}, {@code wasi_snapshot_preview1})
 * @param lifts the {@code canon lift}s, in definition order
 * @param imports the component-level imports, in order
 * @param exports the component-level exports, in order
 * @param coreModuleNames core module names from the {@code component-name} custom
 * section, by module index (empty when absent or unreadable)
 */
public record ComponentModel(String source, byte[] mainModule, long mainModuleOffset, int mainModuleIndex,
		int coreModuleCount, List<String> mainInstantiationArgs, List<CanonicalLift> lifts,
		List<ComponentExtern> imports, List<ComponentExtern> exports, Map<Integer, String> coreModuleNames) {

	public ComponentModel {
		mainModule = mainModule.clone();
		mainInstantiationArgs = List.copyOf(mainInstantiationArgs);
		lifts = List.copyOf(lifts);
		imports = List.copyOf(imports);
		exports = List.copyOf(exports);
		coreModuleNames = Map.copyOf(coreModuleNames);
	}

	/** A copy of the main core module's bytes. */
	@Override
	public byte[] mainModule() {
		return this.mainModule.clone();
	}

	/** The lift of main's export with that (mangled) name, if any. */
	public Optional<CanonicalLift> lift(String coreExport) {
		return this.lifts.stream().filter((lift) -> lift.coreExport().equals(coreExport)).findFirst();
	}

	/** The names of the component-level imports. */
	public List<String> importNames() {
		return this.imports.stream().map(ComponentExtern::name).toList();
	}

	/** The names of the component-level exports. */
	public List<String> exportNames() {
		return this.exports.stream().map(ComponentExtern::name).toList();
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (this == other) || (other instanceof ComponentModel that && this.source.equals(that.source)
				&& Arrays.equals(this.mainModule, that.mainModule) && this.mainModuleOffset == that.mainModuleOffset
				&& this.mainModuleIndex == that.mainModuleIndex && this.coreModuleCount == that.coreModuleCount
				&& this.mainInstantiationArgs.equals(that.mainInstantiationArgs) && this.lifts.equals(that.lifts)
				&& this.imports.equals(that.imports) && this.exports.equals(that.exports)
				&& this.coreModuleNames.equals(that.coreModuleNames));
	}

	@Override
	public int hashCode() {
		// equal models have equal main modules; the rest of equals only narrows what the bytes already tell apart
		return Arrays.hashCode(this.mainModule);
	}

	@Override
	public String toString() {
		return "ComponentModel[source=" + this.source + ", mainModule=" + this.mainModule.length + " bytes at offset "
				+ this.mainModuleOffset + ", mainModuleIndex=" + this.mainModuleIndex + ", coreModuleCount="
				+ this.coreModuleCount + ", mainInstantiationArgs=" + this.mainInstantiationArgs + ", lifts="
				+ this.lifts + ", imports=" + this.imports + ", exports=" + this.exports + "]";
	}

}
