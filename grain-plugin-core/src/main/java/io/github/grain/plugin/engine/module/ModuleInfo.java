package io.github.grain.plugin.engine.module;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * What the engine needs to know of a core module before running it: its imports and
 * exports with their signatures, and its memories.
 * @param imports imports in declaration order
 * @param exports exports in declaration order
 * @param memories memory limits (imported first, then defined), in index order
 * @param memorySectionOffset byte offset of the memory section's payload, or -1 when absent
 */
public record ModuleInfo(List<Import> imports, List<Export> exports, List<MemoryLimits> memories,
		long memorySectionOffset) {

	public ModuleInfo {
		imports = List.copyOf(imports);
		exports = List.copyOf(exports);
		memories = List.copyOf(memories);
	}

	/** The export with that name, if any. */
	public Optional<Export> export(String name) {
		return this.exports.stream().filter((e) -> e.name().equals(name)).findFirst();
	}

	/** The function export with that name, if any. */
	public Optional<Export> functionExport(String name) {
		return export(name).filter((e) -> e.kind() == ExternKind.FUNC);
	}

	/**
	 * An import.
	 * @param module import module name
	 * @param name import field name
	 * @param kind what is imported
	 * @param functionType the signature for function imports, else {@code null}
	 */
	public record Import(String module, String name, ExternKind kind, @Nullable FunctionType functionType) {
	}

	/**
	 * An export.
	 * @param name export name
	 * @param kind what is exported
	 * @param index index in its index space
	 * @param functionType the signature for function exports, else {@code null}
	 */
	public record Export(String name, ExternKind kind, int index, @Nullable FunctionType functionType) {
	}

	/**
	 * Memory limits in 64 KiB pages.
	 * @param minimumPages initial size
	 * @param maximumPages declared maximum, or {@code -1} when none
	 * @param imported whether the memory is imported
	 */
	public record MemoryLimits(long minimumPages, long maximumPages, boolean imported) {
	}

}
