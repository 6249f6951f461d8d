package io.github.grain.plugin.engine.module;

import java.util.ArrayList;
import java.util.List;

import io.github.grain.plugin.engine.MalformedBinaryException;

/**
 * Reads the import, export, type, function and memory sections of a core module;
 * every other section is skipped by its size. Function bodies are left to the runtime.
 */
public final class ModuleParser {

	private static final byte[] CORE_HEADER = { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00 };

	private ModuleParser() {
	}

	/** Whether the bytes start with the core module header. */
	public static boolean isCoreModule(byte[] bytes) {
		if (bytes.length < CORE_HEADER.length) {
			return false;
		}
		for (int i = 0; i < CORE_HEADER.length; i++) {
			if (bytes[i] != CORE_HEADER[i]) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Parse a core module.
	 * @param bytes the module
	 * @return what it imports, exports and declares as memory
	 * @throws MalformedBinaryException with the offset of the first byte not understood
	 */
	public static ModuleInfo parse(byte[] bytes) {
		if (!isCoreModule(bytes)) {
			throw new MalformedBinaryException("not a core WebAssembly module (bad magic or version)", 0);
		}
		WasmReader reader = new WasmReader(bytes);
		reader.skip(CORE_HEADER.length);
		List<FunctionType> types = new ArrayList<>();
		List<ModuleInfo.Import> imports = new ArrayList<>();
		List<Integer> functionTypeIndexes = new ArrayList<>();
		List<ModuleInfo.MemoryLimits> memories = new ArrayList<>();
		List<RawExport> rawExports = new ArrayList<>();
		long memorySectionOffset = -1;
		while (!reader.atEnd()) {
			long sectionStart = reader.offset();
			int id = reader.u8();
			int size = reader.u32AsInt("section size");
			WasmReader section = reader.slice(size);
			switch (id) {
				case 1 -> readTypes(section, types);
				case 2 -> readImports(section, types, imports, functionTypeIndexes, memories);
				case 3 -> readFunctions(section, types, functionTypeIndexes);
				case 5 -> {
					memorySectionOffset = section.offset();
					readMemories(section, memories);
				}
				case 7 -> readExports(section, rawExports);
				default -> {
					if (id > 13) {
						throw new MalformedBinaryException("unknown section id " + id, sectionStart);
					}
					section.skip(section.remaining());
				}
			}
			if (!section.atEnd()) {
				throw new MalformedBinaryException("section " + id + " has " + section.remaining() + " trailing bytes",
						section.offset());
			}
		}
		List<ModuleInfo.Export> exports = new ArrayList<>(rawExports.size());
		for (RawExport raw : rawExports) {
			FunctionType type = null;
			if (raw.kind == ExternKind.FUNC) {
				if (raw.index >= functionTypeIndexes.size()) {
					throw new MalformedBinaryException("export '" + raw.name + "' names function " + raw.index + " of "
							+ functionTypeIndexes.size(), raw.offset);
				}
				type = types.get(functionTypeIndexes.get(raw.index));
			}
			exports.add(new ModuleInfo.Export(raw.name, raw.kind, raw.index, type));
		}
		return new ModuleInfo(imports, exports, memories, memorySectionOffset);
	}

	private static void readTypes(WasmReader section, List<FunctionType> types) {
		int count = section.count("type", 3);
		for (int i = 0; i < count; i++) {
			long at = section.offset();
			int form = section.u8();
			if (form != 0x60) {
				throw new MalformedBinaryException("unsupported type form 0x" + Integer.toHexString(form), at);
			}
			List<ValueType> params = valueTypes(section);
			List<ValueType> results = valueTypes(section);
			types.add(new FunctionType(params, results));
		}
	}

	private static List<ValueType> valueTypes(WasmReader section) {
		int count = section.count("value type", 1);
		List<ValueType> out = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			long at = section.offset();
			out.add(ValueType.fromByte(section.u8(), at));
		}
		return out;
	}

	private static void readImports(WasmReader section, List<FunctionType> types, List<ModuleInfo.Import> imports,
			List<Integer> functionTypeIndexes, List<ModuleInfo.MemoryLimits> memories) {
		int count = section.count("import", 4);
		for (int i = 0; i < count; i++) {
			String module = section.name();
			String name = section.name();
			long at = section.offset();
			int kind = section.u8();
			switch (kind) {
				case 0x00 -> {
					int typeIndex = typeIndex(section, types);
					functionTypeIndexes.add(typeIndex);
					imports.add(new ModuleInfo.Import(module, name, ExternKind.FUNC, types.get(typeIndex)));
				}
				case 0x01 -> {
					section.u8();
					readLimits(section);
					imports.add(new ModuleInfo.Import(module, name, ExternKind.TABLE, null));
				}
				case 0x02 -> {
					long[] limits = readLimits(section);
					memories.add(new ModuleInfo.MemoryLimits(limits[0], limits[1], true));
					imports.add(new ModuleInfo.Import(module, name, ExternKind.MEMORY, null));
				}
				case 0x03 -> {
					long vt = section.offset();
					ValueType.fromByte(section.u8(), vt);
					section.u8();
					imports.add(new ModuleInfo.Import(module, name, ExternKind.GLOBAL, null));
				}
				case 0x04 -> {
					section.u8();
					typeIndex(section, types);
					imports.add(new ModuleInfo.Import(module, name, ExternKind.TAG, null));
				}
				default -> throw new MalformedBinaryException(
						"unknown import kind 0x" + Integer.toHexString(kind) + " for '" + module + "' '" + name + "'",
						at);
			}
		}
	}

	private static int typeIndex(WasmReader section, List<FunctionType> types) {
		long at = section.offset();
		long index = section.u32();
		if (index >= types.size()) {
			throw new MalformedBinaryException("type index " + index + " out of range (" + types.size() + " types)",
					at);
		}
		return (int) index;
	}

	private static void readFunctions(WasmReader section, List<FunctionType> types, List<Integer> functionTypeIndexes) {
		int count = section.count("function", 1);
		for (int i = 0; i < count; i++) {
			functionTypeIndexes.add(typeIndex(section, types));
		}
	}

	private static void readMemories(WasmReader section, List<ModuleInfo.MemoryLimits> memories) {
		int count = section.count("memory", 2);
		for (int i = 0; i < count; i++) {
			long[] limits = readLimits(section);
			memories.add(new ModuleInfo.MemoryLimits(limits[0], limits[1], false));
		}
	}

	/** Returns {minimum, maximum or -1}. */
	private static long[] readLimits(WasmReader section) {
		long at = section.offset();
		int flags = section.u8();
		if (flags > 0x03) {
			throw new MalformedBinaryException("unsupported limits flags 0x" + Integer.toHexString(flags)
					+ " (64-bit memories are not supported)", at);
		}
		long min = section.u32();
		long max = ((flags & 0x01) != 0) ? section.u32() : -1;
		return new long[] { min, max };
	}

	private static void readExports(WasmReader section, List<RawExport> exports) {
		int count = section.count("export", 3);
		for (int i = 0; i < count; i++) {
			long at = section.offset();
			String name = section.name();
			long kindAt = section.offset();
			int kind = section.u8();
			int index = section.u32AsInt("export index");
			ExternKind externKind = switch (kind) {
				case 0x00 -> ExternKind.FUNC;
				case 0x01 -> ExternKind.TABLE;
				case 0x02 -> ExternKind.MEMORY;
				case 0x03 -> ExternKind.GLOBAL;
				case 0x04 -> ExternKind.TAG;
				default -> throw new MalformedBinaryException("unknown export kind 0x" + Integer.toHexString(kind),
						kindAt);
			};
			exports.add(new RawExport(name, externKind, index, at));
		}
	}

	private record RawExport(String name, ExternKind kind, int index, long offset) {
	}

}
