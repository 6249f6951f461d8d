package io.github.grain.plugin.engine.module;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Emits small core modules for parser tests: type, import, function, memory, export,
 * code and custom sections, with unsigned LEB128 sizes and counts. Records where each
 * section's payload starts and where each section ends.
 */
final class ModuleBytes {

	static final byte[] HEADER = { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00 };

	private final List<byte[]> types = new ArrayList<>();

	private final List<Integer> typeResultCounts = new ArrayList<>();

	private final List<byte[]> imports = new ArrayList<>();

	private final List<Integer> functions = new ArrayList<>();

	private final List<byte[]> memories = new ArrayList<>();

	private final List<byte[]> exports = new ArrayList<>();

	private final List<byte[]> customs = new ArrayList<>();

	private final Map<Integer, Integer> payloadOffsets = new LinkedHashMap<>();

	private final List<Integer> sectionEnds = new ArrayList<>();

	ModuleBytes type(List<ValueType> params, List<ValueType> results) {
		this.types.add(concat(bytes(0x60), valueTypes(params), valueTypes(results)));
		this.typeResultCounts.add(results.size());
		return this;
	}

	ModuleBytes importFunction(String module, String name, int typeIndex) {
		this.imports.add(concat(name(module), name(name), bytes(0x00), leb(typeIndex)));
		return this;
	}

	ModuleBytes importTable(String module, String name) {
		this.imports.add(concat(name(module), name(name), bytes(0x01, 0x70, 0x00, 0x01)));
		return this;
	}

	ModuleBytes importMemory(String module, String name, long min, long max) {
		this.imports.add(concat(name(module), name(name), bytes(0x02), limits(min, max)));
		return this;
	}

	ModuleBytes importGlobal(String module, String name) {
		this.imports.add(concat(name(module), name(name), bytes(0x03, 0x7f, 0x01)));
		return this;
	}

	ModuleBytes importTag(String module, String name, int typeIndex) {
		this.imports.add(concat(name(module), name(name), bytes(0x04, 0x00), leb(typeIndex)));
		return this;
	}

	/** A defined function; its body returns {@code i32.const 0} or nothing, per its type. */
	ModuleBytes function(int typeIndex) {
		this.functions.add(typeIndex);
		return this;
	}

	/** A defined memory; {@code max} of -1 means none. */
	ModuleBytes memory(long min, long max) {
		this.memories.add(limits(min, max));
		return this;
	}

	ModuleBytes export(String name, int kind, long index) {
		this.exports.add(concat(name(name), bytes(kind), leb(index)));
		return this;
	}

	ModuleBytes custom(String name, byte[] payload) {
		this.customs.add(concat(name(name), payload));
		return this;
	}

	byte[] build() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(HEADER);
		this.payloadOffsets.clear();
		this.sectionEnds.clear();
		this.sectionEnds.add(out.size());
		section(out, 1, this.types);
		section(out, 2, this.imports);
		List<byte[]> functionEntries = new ArrayList<>();
		List<byte[]> bodies = new ArrayList<>();
		for (int typeIndex : this.functions) {
			functionEntries.add(leb(typeIndex));
			boolean returns = typeIndex < this.typeResultCounts.size() && this.typeResultCounts.get(typeIndex) > 0;
			bodies.add(returns ? bytes(0x04, 0x00, 0x41, 0x00, 0x0b) : bytes(0x02, 0x00, 0x0b));
		}
		section(out, 3, functionEntries);
		section(out, 5, this.memories);
		section(out, 7, this.exports);
		section(out, 10, bodies);
		for (byte[] custom : this.customs) {
			raw(out, 0, custom);
		}
		return out.toByteArray();
	}

	/** Offset of the payload of section {@code id} in the last {@link #build()}. */
	int payloadOffset(int id) {
		return this.payloadOffsets.get(id);
	}

	/** Offsets at which a section ends (and the header's end) in the last build. */
	List<Integer> sectionEnds() {
		return this.sectionEnds;
	}

	private void section(ByteArrayOutputStream out, int id, List<byte[]> entries) {
		if (entries.isEmpty()) {
			return;
		}
		ByteArrayOutputStream payload = new ByteArrayOutputStream();
		payload.writeBytes(leb(entries.size()));
		entries.forEach(payload::writeBytes);
		raw(out, id, payload.toByteArray());
	}

	private void raw(ByteArrayOutputStream out, int id, byte[] payload) {
		out.write(id);
		out.writeBytes(leb(payload.length));
		this.payloadOffsets.putIfAbsent(id, out.size());
		out.writeBytes(payload);
		this.sectionEnds.add(out.size());
	}

	// ---- encoding helpers, also for hand-made malformed input ------------------

	/** Unsigned LEB128. */
	static byte[] leb(long value) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		long v = value;
		do {
			int b = (int) (v & 0x7F);
			v >>>= 7;
			out.write((v != 0) ? (b | 0x80) : b);
		}
		while (v != 0);
		return out.toByteArray();
	}

	static byte[] name(String name) {
		byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
		return concat(leb(utf8.length), utf8);
	}

	static byte[] limits(long min, long max) {
		return (max < 0) ? concat(bytes(0x00), leb(min)) : concat(bytes(0x01), leb(min), leb(max));
	}

	static byte[] valueTypes(List<ValueType> types) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(leb(types.size()));
		for (ValueType type : types) {
			out.write(switch (type) {
				case I32 -> 0x7f;
				case I64 -> 0x7e;
				case F32 -> 0x7d;
				case F64 -> 0x7c;
				case V128 -> 0x7b;
				case FUNCREF -> 0x70;
				case EXTERNREF -> 0x6f;
			});
		}
		return out.toByteArray();
	}

	/** A section: id, LEB size, payload. */
	static byte[] section(int id, byte[] payload) {
		return concat(bytes(id), leb(payload.length), payload);
	}

	/** The header followed by {@code parts}. */
	static byte[] module(byte[]... parts) {
		return concat(HEADER, concat(parts));
	}

	static byte[] bytes(int... values) {
		byte[] out = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			out[i] = (byte) values[i];
		}
		return out;
	}

	static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

}
