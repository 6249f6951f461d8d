package io.github.grain.plugin.engine.component;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny test-only writer of component binaries: LEB128, names, entries and sections,
 * with the encodings of Binary.md spelled out once here so the tests read as the text
 * format does.
 */
final class ComponentBytes {

	static final byte[] COMPONENT_HEADER = { 0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00 };

	static final byte[] CORE_HEADER = { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00 };

	// Sorts as encoded in sortidx / alias: core sorts are prefixed with 0x00.
	static final int[] CORE_FUNC = { 0x00, 0x00 };

	static final int[] CORE_TABLE = { 0x00, 0x01 };

	static final int[] CORE_MEMORY = { 0x00, 0x02 };

	static final int[] CORE_MODULE = { 0x00, 0x11 };

	static final int[] CORE_INSTANCE = { 0x00, 0x12 };

	static final int[] FUNC = { 0x01 };

	static final int[] TYPE = { 0x03 };

	static final int[] COMPONENT = { 0x04 };

	static final int[] INSTANCE = { 0x05 };

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final List<Integer> sectionEnds = new ArrayList<>();

	private ComponentBytes() {
		this.out.writeBytes(COMPONENT_HEADER);
	}

	/** A component: the header, then sections added in order. */
	static ComponentBytes component() {
		return new ComponentBytes();
	}

	/** A core module with a distinguishing custom section, so tests can tell modules apart. */
	static byte[] coreModule(String tag) {
		Entry custom = new Entry().name(tag);
		return new Entry().raw(CORE_HEADER).u8(0).u32(custom.size()).raw(custom.toArray()).toArray();
	}

	ComponentBytes section(int id, byte[] payload) {
		this.out.write(id);
		this.out.writeBytes(leb(payload.length));
		this.out.writeBytes(payload);
		this.sectionEnds.add(this.out.size());
		return this;
	}

	/** A section holding a vector of entries. */
	ComponentBytes section(int id, Entry... entries) {
		Entry payload = new Entry().u32(entries.length);
		for (Entry entry : entries) {
			payload.raw(entry.toArray());
		}
		return section(id, payload.toArray());
	}

	ComponentBytes coreModuleSection(byte[] module) {
		return section(1, module);
	}

	ComponentBytes coreInstances(Entry... entries) {
		return section(2, entries);
	}

	ComponentBytes instances(Entry... entries) {
		return section(5, entries);
	}

	ComponentBytes aliases(Entry... entries) {
		return section(6, entries);
	}

	ComponentBytes types(Entry... entries) {
		return section(7, entries);
	}

	ComponentBytes canons(Entry... entries) {
		return section(8, entries);
	}

	ComponentBytes imports(Entry... entries) {
		return section(10, entries);
	}

	ComponentBytes exports(Entry... entries) {
		return section(11, entries);
	}

	ComponentBytes custom(String name, byte[] payload) {
		return section(0, new Entry().name(name).raw(payload).toArray());
	}

	byte[] toBytes() {
		return this.out.toByteArray();
	}

	/** Offsets just past each section: a prefix of this length is a complete component. */
	List<Integer> sectionEnds() {
		return List.copyOf(this.sectionEnds);
	}

	// Entries, named after the text format.

	/** {@code (func)} — a function type with no parameters and no results. */
	static Entry funcType() {
		return new Entry().u8(0x40).u32(0).u8(0x01).u32(0);
	}

	/** {@code (instance)} — an empty instance type. */
	static Entry instanceType() {
		return new Entry().u8(0x42).u32(0);
	}

	/** {@code (import "name" (instance (type t)))}. */
	static Entry importInstance(String name, int type) {
		return new Entry().u8(0x00).name(name).u8(0x05).u32(type);
	}

	/** {@code (core instance (instantiate m (with "name" (instance i))...))}; args alternate name, index. */
	static Entry instantiate(int module, Object... args) {
		Entry entry = new Entry().u8(0x00).u32(module).u32(args.length / 2);
		for (int i = 0; i < args.length; i += 2) {
			entry.name((String) args[i]).u8(0x12).u32((Integer) args[i + 1]);
		}
		return entry;
	}

	/** {@code (core instance (export "name" (sort idx))...)}; args alternate name, sort, index. */
	static Entry coreExports(Object... args) {
		Entry entry = new Entry().u8(0x01).u32(args.length / 3);
		for (int i = 0; i < args.length; i += 3) {
			int[] sort = (int[]) args[i + 1];
			entry.name((String) args[i]).u8(sort[sort.length - 1]).u32((Integer) args[i + 2]);
		}
		return entry;
	}

	/** {@code (alias core export i "name" (core sort))}. */
	static Entry aliasCoreExport(int[] sort, int instance, String name) {
		return new Entry().u8(sort).u8(0x01).u32(instance).name(name);
	}

	/** {@code (alias export i "name" (sort))}. */
	static Entry aliasExport(int[] sort, int instance, String name) {
		return new Entry().u8(sort).u8(0x00).u32(instance).name(name);
	}

	/** {@code (canon lift (core func f) options... (type t))}. */
	static Entry canonLift(int coreFunc, int type, Entry... options) {
		Entry entry = new Entry().u8(0x00, 0x00).u32(coreFunc).u32(options.length);
		for (Entry option : options) {
			entry.raw(option.toArray());
		}
		return entry.u32(type);
	}

	/** {@code (canon lower (func f) options...)}. */
	static Entry canonLower(int func, Entry... options) {
		Entry entry = new Entry().u8(0x01, 0x00).u32(func).u32(options.length);
		for (Entry option : options) {
			entry.raw(option.toArray());
		}
		return entry;
	}

	static Entry utf8() {
		return new Entry().u8(0x00);
	}

	static Entry utf16() {
		return new Entry().u8(0x01);
	}

	static Entry latin1Utf16() {
		return new Entry().u8(0x02);
	}

	static Entry memory(int index) {
		return new Entry().u8(0x03).u32(index);
	}

	static Entry realloc(int index) {
		return new Entry().u8(0x04).u32(index);
	}

	static Entry postReturn(int index) {
		return new Entry().u8(0x05).u32(index);
	}

	static Entry async() {
		return new Entry().u8(0x06);
	}

	static Entry callback(int index) {
		return new Entry().u8(0x07).u32(index);
	}

	/** {@code (instance (export "name" (sort idx))...)}; args alternate name, sort, index. */
	static Entry instanceExports(Object... args) {
		Entry entry = new Entry().u8(0x01).u32(args.length / 3);
		for (int i = 0; i < args.length; i += 3) {
			entry.u8(0x00).name((String) args[i]).u8((int[]) args[i + 1]).u32((Integer) args[i + 2]);
		}
		return entry;
	}

	/** {@code (export "name" (sort idx))}, without a type ascription. */
	static Entry export(String name, int[] sort, int index) {
		return new Entry().u8(0x00).name(name).u8(sort).u32(index).u8(0x00);
	}

	static byte[] leb(long value) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		long v = value;
		do {
			int b = (int) (v & 0x7F);
			v >>>= 7;
			bytes.write((v != 0) ? (b | 0x80) : b);
		}
		while (v != 0);
		return bytes.toByteArray();
	}

	/** Bytes of one entry (or of anything), built left to right. */
	static final class Entry {

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		Entry u8(int... values) {
			for (int value : values) {
				this.bytes.write(value);
			}
			return this;
		}

		Entry u32(long value) {
			this.bytes.writeBytes(leb(value));
			return this;
		}

		Entry name(String name) {
			byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
			return u32(utf8.length).raw(utf8);
		}

		Entry raw(byte[] raw) {
			this.bytes.writeBytes(raw);
			return this;
		}

		int size() {
			return this.bytes.size();
		}

		byte[] toArray() {
			return this.bytes.toByteArray();
		}

	}

}
