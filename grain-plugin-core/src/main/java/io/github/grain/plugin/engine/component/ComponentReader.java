package io.github.grain.plugin.engine.component;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.MalformedBinaryException;
import io.github.grain.plugin.engine.module.WasmReader;
import io.github.grain.plugin.engine.component.IndexSpaces.Embedded;
import io.github.grain.plugin.engine.component.IndexSpaces.ExportOf;
import io.github.grain.plugin.engine.component.IndexSpaces.InlineExports;
import io.github.grain.plugin.engine.component.IndexSpaces.Instantiation;
import io.github.grain.plugin.engine.component.IndexSpaces.ResolvedExport;
import io.github.grain.plugin.engine.component.IndexSpaces.SortIndex;
import org.jspecify.annotations.Nullable;

/**
 * Reads a Component Model binary (Binary.md, pre-standard version {@code 0x0d}) far
 * enough to run its main core module directly: every section is decoded or skipped by
 * its size, every definition is entered in its index space, and each {@code canon lift}
 * is followed through {@code alias core export} and inline-export instances to the
 * {@code instantiate (module m)} that implements it. All lifts must resolve to one
 * instance of one embedded module: that module is "main".
 * <p>
 * Nested components (section 4) are counted and skipped, type sections are counted and
 * skipped; lifts inside nested components are not looked at.
 */
public final class ComponentReader {

	private static final int SECTION_CUSTOM = 0;

	private static final int SECTION_CORE_MODULE = 1;

	private static final int SECTION_CORE_INSTANCE = 2;

	private static final int SECTION_CORE_TYPE = 3;

	private static final int SECTION_COMPONENT = 4;

	private static final int SECTION_INSTANCE = 5;

	private static final int SECTION_ALIAS = 6;

	private static final int SECTION_TYPE = 7;

	private static final int SECTION_CANON = 8;

	private static final int SECTION_START = 9;

	private static final int SECTION_IMPORT = 10;

	private static final int SECTION_EXPORT = 11;

	private static final int SECTION_VALUE = 12;

	private final byte[] bytes;

	private final String source;

	private final IndexSpaces spaces = new IndexSpaces();

	private final List<RawLift> lifts = new ArrayList<>();

	private final List<ComponentExtern> imports = new ArrayList<>();

	private final List<ComponentExtern> exports = new ArrayList<>();

	private Map<Integer, String> coreModuleNames = Map.of();

	private ComponentReader(byte[] bytes, String source) {
		this.bytes = bytes;
		this.source = source;
	}

	/**
	 * Read a component.
	 * @param bytes the component binary
	 * @param source where it came from, for messages (e.g. the plugin's file path)
	 * @return the main module and how its exports are lifted
	 * @throws MalformedBinaryException when the bytes are not a well-formed component,
	 * with the offset of the first byte not understood
	 * @throws InvalidPluginException when the component is well-formed but cannot run on
	 * the grain host (no lift, lifts spread over several core instances, a string
	 * encoding other than UTF-8, options from another instance)
	 */
	public static ComponentModel read(byte[] bytes, String source) {
		if (WasmBinaryKind.detect(bytes) != WasmBinaryKind.COMPONENT) {
			throw new MalformedBinaryException(
					"'" + source + "' is a core module, not a component (version 01 00 00 00, expected 0d 00 01 00)",
					4);
		}
		ComponentReader reader = new ComponentReader(bytes, source);
		reader.readSections();
		return reader.resolve();
	}

	private void readSections() {
		WasmReader file = new WasmReader(this.bytes, WasmBinaryKind.COMPONENT_HEADER.length, this.bytes.length,
				"file");
		while (!file.atEnd()) {
			long sectionStart = file.offset();
			int id = file.u8("section id");
			String name = sectionName(id);
			if (name == null) {
				throw new MalformedBinaryException("unknown component section id " + id, sectionStart);
			}
			long sizeAt = file.offset();
			long size = file.u32(name + " size");
			if (size > file.remaining()) {
				throw new MalformedBinaryException(name + " size " + size + " exceeds the " + file.remaining()
						+ " bytes left in the file", sizeAt);
			}
			WasmReader section = file.slice(size, name);
			switch (id) {
				case SECTION_CUSTOM -> readCustom(section);
				case SECTION_CORE_MODULE -> readCoreModule(section);
				case SECTION_CORE_INSTANCE -> readCoreInstances(section);
				case SECTION_CORE_TYPE -> countAndSkip(section, ComponentSort.CORE_TYPE, "core type");
				case SECTION_COMPONENT -> readNestedComponent(section);
				case SECTION_INSTANCE -> readInstances(section);
				case SECTION_ALIAS -> readAliases(section);
				case SECTION_TYPE -> countAndSkip(section, ComponentSort.TYPE, "type");
				case SECTION_CANON -> readCanons(section);
				case SECTION_START -> readStart(section);
				case SECTION_IMPORT -> readImports(section);
				case SECTION_EXPORT -> readExports(section);
				case SECTION_VALUE -> countAndSkip(section, ComponentSort.VALUE, "value");
				default -> throw new IllegalStateException("section " + id);
			}
			if (!section.atEnd()) {
				throw new MalformedBinaryException(name + " has " + section.remaining() + " bytes after its last entry",
						section.offset());
			}
		}
	}

	private static @Nullable String sectionName(int id) {
		return switch (id) {
			case SECTION_CUSTOM -> "custom section";
			case SECTION_CORE_MODULE -> "core module section";
			case SECTION_CORE_INSTANCE -> "core instance section";
			case SECTION_CORE_TYPE -> "core type section";
			case SECTION_COMPONENT -> "component section";
			case SECTION_INSTANCE -> "instance section";
			case SECTION_ALIAS -> "alias section";
			case SECTION_TYPE -> "type section";
			case SECTION_CANON -> "canon section";
			case SECTION_START -> "start section";
			case SECTION_IMPORT -> "import section";
			case SECTION_EXPORT -> "export section";
			case SECTION_VALUE -> "value section";
			default -> null;
		};
	}

	// Section 0: only the component-name section is looked at, and leniently: Binary.md
	// says an invalid name section must not make a component invalid.
	private void readCustom(WasmReader section) {
		String name = section.name("custom section name");
		if ("component-name".equals(name)) {
			WasmReader names = section.slice(section.remaining(), "component-name section");
			try {
				this.coreModuleNames = readCoreModuleNames(names);
			}
			catch (MalformedBinaryException ex) {
				this.coreModuleNames = Map.of();
			}
		}
		section.skip(section.remaining(), "custom section payload");
	}

	private static Map<Integer, String> readCoreModuleNames(WasmReader names) {
		Map<Integer, String> moduleNames = new HashMap<>();
		while (!names.atEnd()) {
			int id = names.u8("name subsection id");
			WasmReader subsection = names.slice(names.u32("name subsection size"), "name subsection");
			if (id == 1 && readSort(subsection) == ComponentSort.CORE_MODULE) {
				int count = subsection.count("module name", 2);
				for (int i = 0; i < count; i++) {
					int index = subsection.u32AsInt("module index");
					moduleNames.put(index, subsection.name("module name"));
				}
			}
		}
		return moduleNames;
	}

	// Section 1: the payload is a complete core module, kept by position only.
	private void readCoreModule(WasmReader section) {
		long start = section.offset();
		if (!section.startsWith(WasmBinaryKind.CORE_MODULE_HEADER)) {
			throw new MalformedBinaryException("core module " + this.spaces.size(ComponentSort.CORE_MODULE)
					+ " does not start with the core module header 00 61 73 6d 01 00 00 00", start);
		}
		int length = section.remaining();
		this.spaces.addCoreModule(new Embedded(section.position(), length));
		section.skip(length, "core module");
	}

	// Section 2: instantiate a module, or bundle existing core definitions.
	private void readCoreInstances(WasmReader section) {
		int count = section.count("core instance", 2);
		for (int i = 0; i < count; i++) {
			long at = section.offset();
			int kind = section.u8("core instance kind");
			switch (kind) {
				case 0x00 -> {
					int module = index(section, ComponentSort.CORE_MODULE);
					int argumentCount = section.count("instantiation argument", 3);
					List<String> names = new ArrayList<>(argumentCount);
					for (int a = 0; a < argumentCount; a++) {
						names.add(section.name("instantiation argument name"));
						long kindAt = section.offset();
						int argumentKind = section.u8("instantiation argument kind");
						if (argumentKind != 0x12) {
							throw new MalformedBinaryException("instantiation argument kind 0x"
									+ Integer.toHexString(argumentKind) + ", expected 0x12 (core instance)", kindAt);
						}
						index(section, ComponentSort.CORE_INSTANCE);
					}
					this.spaces.addCoreInstance(new Instantiation(module, names, at));
				}
				case 0x01 -> {
					int exportCount = section.count("core instance export", 3);
					Map<String, SortIndex> exported = new LinkedHashMap<>();
					for (int e = 0; e < exportCount; e++) {
						long nameAt = section.offset();
						String name = section.name("core export name");
						long sortAt = section.offset();
						ComponentSort sort = readCoreSort(section);
						if (!IndexSpaces.hasCoreItems(sort)) {
							throw new MalformedBinaryException(
									"core instance export '" + name + "' of sort " + sort.label()
											+ ", expected func, table, memory, global or tag",
									sortAt);
						}
						int index = index(section, sort);
						if (exported.put(name, new SortIndex(sort, index)) != null) {
							throw new MalformedBinaryException("core instance exports '" + name + "' twice", nameAt);
						}
					}
					this.spaces.addCoreInstance(new InlineExports(exported, at));
				}
				default -> throw new MalformedBinaryException(
						"unknown core instance kind 0x" + Integer.toHexString(kind) + ", expected 0x00 or 0x01", at);
			}
		}
	}

	// Sections 3, 7 and 12: entries are only counted; the section size bounds the skip.
	private void countAndSkip(WasmReader section, ComponentSort sort, String what) {
		long at = section.offset();
		int count = section.count(what, 1);
		this.spaces.addCount(sort, count, at);
		section.skip(section.remaining(), what + " definitions");
	}

	private void readNestedComponent(WasmReader section) {
		if (!section.startsWith(WasmBinaryKind.COMPONENT_HEADER)) {
			throw new MalformedBinaryException("nested component " + this.spaces.size(ComponentSort.COMPONENT)
					+ " does not start with the component header 00 61 73 6d 0d 00 01 00", section.offset());
		}
		this.spaces.addOther(ComponentSort.COMPONENT, "component section", section.offset());
		section.skip(section.remaining(), "nested component");
	}

	// Section 5: component instances (instantiate a component, or bundle definitions).
	private void readInstances(WasmReader section) {
		int count = section.count("instance", 2);
		for (int i = 0; i < count; i++) {
			long at = section.offset();
			int kind = section.u8("instance kind");
			switch (kind) {
				case 0x00 -> {
					index(section, ComponentSort.COMPONENT);
					int argumentCount = section.count("instantiation argument", 3);
					for (int a = 0; a < argumentCount; a++) {
						section.name("instantiation argument name");
						readSortIndex(section);
					}
				}
				case 0x01 -> {
					int exportCount = section.count("instance export", 4);
					for (int e = 0; e < exportCount; e++) {
						readExternName(section);
						readSortIndex(section);
					}
				}
				default -> throw new MalformedBinaryException(
						"unknown instance kind 0x" + Integer.toHexString(kind) + ", expected 0x00 or 0x01", at);
			}
			this.spaces.addOther(ComponentSort.INSTANCE, "instance section", at);
		}
	}

	// Section 6: aliases of instance exports and of outer definitions.
	private void readAliases(WasmReader section) {
		int count = section.count("alias", 3);
		for (int i = 0; i < count; i++) {
			long at = section.offset();
			ComponentSort sort = readSort(section);
			long targetAt = section.offset();
			int target = section.u8("alias target");
			switch (target) {
				case 0x00 -> {
					int instance = index(section, ComponentSort.INSTANCE);
					String name = section.name("export name");
					this.spaces.addOther(sort, "alias of export '" + name + "' of instance " + instance, at);
				}
				case 0x01 -> {
					if (!sort.isCore()) {
						throw new MalformedBinaryException(
								"core export alias of sort " + sort.label() + ", expected a core sort", at);
					}
					int instance = index(section, ComponentSort.CORE_INSTANCE);
					String name = section.name("core export name");
					if (IndexSpaces.hasCoreItems(sort)) {
						this.spaces.addCoreItem(sort, new ExportOf(instance, name, at));
					}
					else {
						this.spaces.addOther(sort, "alias of core export '" + name + "' of core instance " + instance,
								at);
					}
				}
				case 0x02 -> {
					long countAt = section.offset();
					long outer = section.u32("outer alias count");
					if (outer != 0) {
						throw new MalformedBinaryException(
								"outer alias reaches " + outer + " components out of the outermost component", countAt);
					}
					if (sort != ComponentSort.CORE_TYPE && sort != ComponentSort.CORE_MODULE
							&& sort != ComponentSort.TYPE && sort != ComponentSort.COMPONENT) {
						throw new MalformedBinaryException(
								"outer alias of sort " + sort.label() + ", expected type, core type, core module "
										+ "or component",
								at);
					}
					index(section, sort);
					this.spaces.addOther(sort, "outer alias", at);
				}
				default -> throw new MalformedBinaryException(
						"unknown alias target 0x" + Integer.toHexString(target) + ", expected 0x00, 0x01 or 0x02",
						targetAt);
			}
		}
	}

	// Section 8: canonical definitions. Lift adds a component func; every other opcode adds
	// a core func. Opcodes and immediates follow Binary.md and wasmparser (async and
	// thread built-ins included), so a component that merely contains them still reads.
	private void readCanons(WasmReader section) {
		int count = section.count("canon", 1);
		for (int i = 0; i < count; i++) {
			long at = section.offset();
			int opcode = section.u8("canon opcode");
			String origin = switch (opcode) {
				case 0x00 -> {
					expectByte(section, 0x00, "canon lift sort (0x00, func)");
					int coreFunc = index(section, ComponentSort.CORE_FUNC);
					RawOptions options = readOptions(section);
					index(section, ComponentSort.TYPE);
					this.lifts.add(new RawLift(coreFunc, options, at));
					this.spaces.addOther(ComponentSort.FUNC, "canon lift", at);
					yield null;
				}
				case 0x01 -> {
					expectByte(section, 0x00, "canon lower sort (0x00, func)");
					index(section, ComponentSort.FUNC);
					readOptions(section);
					yield "canon lower";
				}
				case 0x02 -> typeImmediate(section, "canon resource.new");
				case 0x03 -> typeImmediate(section, "canon resource.drop");
				case 0x04 -> typeImmediate(section, "canon resource.rep");
				case 0x05 -> "canon task.cancel";
				case 0x06 -> {
					flagByte(section, "async flag");
					yield "canon subtask.cancel";
				}
				case 0x07 -> typeImmediate(section, "canon resource.drop async");
				case 0x08 -> "canon backpressure.set";
				case 0x09 -> {
					readResultList(section);
					readOptions(section);
					yield "canon task.return";
				}
				case 0x0a, 0x0b -> {
					long typeAt = section.offset();
					int type = section.u8("context slot type");
					if (type != 0x7f && type != 0x7e) {
						throw new MalformedBinaryException(
								"context slot type 0x" + Integer.toHexString(type) + ", expected i32 (0x7f) or i64 (0x7e)",
								typeAt);
					}
					section.u32("context slot");
					yield (opcode == 0x0a) ? "canon context.get" : "canon context.set";
				}
				case 0x0c -> {
					flagByte(section, "cancellable flag");
					yield "canon thread.yield";
				}
				case 0x0d -> "canon subtask.drop";
				case 0x0e, 0x15 -> typeImmediate(section, (opcode == 0x0e) ? "canon stream.new" : "canon future.new");
				case 0x0f, 0x10, 0x16, 0x17 -> {
					typeImmediate(section, "canon stream/future read/write");
					readOptions(section);
					yield "canon stream/future read/write";
				}
				case 0x11, 0x12, 0x18, 0x19 -> {
					typeImmediate(section, "canon stream/future cancel");
					flagByte(section, "async flag");
					yield "canon stream/future cancel";
				}
				case 0x13, 0x14, 0x1a, 0x1b -> typeImmediate(section, "canon stream/future drop");
				case 0x1c, 0x1d -> {
					readOptions(section);
					yield "canon error-context";
				}
				case 0x1e -> "canon error-context.drop";
				case 0x1f -> "canon waitable-set.new";
				case 0x20, 0x21 -> {
					flagByte(section, "cancellable flag");
					index(section, ComponentSort.CORE_MEMORY);
					yield "canon waitable-set.wait/poll";
				}
				case 0x22 -> "canon waitable-set.drop";
				case 0x23 -> "canon waitable.join";
				case 0x24 -> "canon backpressure.inc";
				case 0x25 -> "canon backpressure.dec";
				case 0x26 -> "canon thread.index";
				case 0x27, 0x41 -> {
					index(section, ComponentSort.CORE_TYPE);
					index(section, ComponentSort.CORE_TABLE);
					yield "canon thread.new-indirect/spawn-indirect";
				}
				case 0x28 -> "canon thread.resume-later";
				case 0x29, 0x2a, 0x2b, 0x2c, 0x2d -> {
					flagByte(section, "cancellable flag");
					yield "canon thread.suspend/yield";
				}
				case 0x40 -> {
					index(section, ComponentSort.CORE_TYPE);
					yield "canon thread.spawn-ref";
				}
				case 0x42 -> "canon thread.available-parallelism";
				default -> throw new MalformedBinaryException(
						"unknown canon opcode 0x" + Integer.toHexString(opcode), at);
			};
			if (origin != null) {
				this.spaces.addOther(ComponentSort.CORE_FUNC, origin, at);
			}
		}
	}

	/** An index into the space of {@code sort}, checked, with the error pointing at its first byte. */
	private int index(WasmReader section, ComponentSort sort) {
		long at = section.offset();
		return this.spaces.check(sort, section.u32(sort.label() + " index"), at);
	}

	private String typeImmediate(WasmReader section, String origin) {
		index(section, ComponentSort.TYPE);
		return origin;
	}

	private static void flagByte(WasmReader section, String what) {
		long at = section.offset();
		int flag = section.u8(what);
		if (flag > 1) {
			throw new MalformedBinaryException(what + " 0x" + Integer.toHexString(flag) + ", expected 0x00 or 0x01",
					at);
		}
	}

	private static void expectByte(WasmReader section, int expected, String what) {
		long at = section.offset();
		int actual = section.u8(what);
		if (actual != expected) {
			throw new MalformedBinaryException(
					"found 0x" + Integer.toHexString(actual) + ", expected " + what, at);
		}
	}

	private RawOptions readOptions(WasmReader section) {
		int count = section.count("canonical option", 1);
		RawOptions options = new RawOptions();
		for (int i = 0; i < count; i++) {
			long at = section.offset();
			int option = section.u8("canonical option");
			switch (option) {
				case 0x00, 0x01, 0x02 -> {
					if (options.encoding != null) {
						throw new MalformedBinaryException("more than one string-encoding option", at);
					}
					// 0x00 utf8, 0x01 utf16, 0x02 latin1+utf16: the enum's declaration order
					options.encoding = StringEncoding.values()[option];
				}
				case 0x03 -> options.memory = optionIndex(section, options.memory, ComponentSort.CORE_MEMORY, "memory",
						at);
				case 0x04 -> options.realloc = optionIndex(section, options.realloc, ComponentSort.CORE_FUNC, "realloc",
						at);
				case 0x05 -> options.postReturn = optionIndex(section, options.postReturn, ComponentSort.CORE_FUNC,
						"post-return", at);
				case 0x06 -> {
					if (options.async) {
						throw new MalformedBinaryException("more than one async option", at);
					}
					options.async = true;
				}
				case 0x07 -> options.callback = optionIndex(section, options.callback, ComponentSort.CORE_FUNC,
						"callback", at);
				case 0x08 -> index(section, ComponentSort.CORE_TYPE);
				case 0x09 -> {
					// gc: values passed as GC references; nothing to resolve
				}
				default -> throw new MalformedBinaryException(
						"unknown canonical option 0x" + Integer.toHexString(option), at);
			}
		}
		return options;
	}

	private IndexAt optionIndex(WasmReader section, @Nullable IndexAt previous, ComponentSort sort, String what,
			long at) {
		if (previous != null) {
			throw new MalformedBinaryException("more than one " + what + " option", at);
		}
		long indexAt = section.offset();
		return new IndexAt(index(section, sort), indexAt);
	}

	private void readResultList(WasmReader section) {
		long at = section.offset();
		int form = section.u8("result list");
		if (form == 0x00) {
			readValueType(section);
		}
		else if (form == 0x01) {
			expectByte(section, 0x00, "0x00 (no named results)");
		}
		else {
			throw new MalformedBinaryException(
					"result list form 0x" + Integer.toHexString(form) + ", expected 0x00 or 0x01", at);
		}
	}

	/** A component value type: a primitive type code, or an index into the type space. */
	private void readValueType(WasmReader section) {
		long at = section.offset();
		long value = section.s33("value type");
		if (value < 0) {
			// a negative s33 is -64..-1 here, so its code is at most 0x7f already
			long code = value + 0x80;
			boolean primitive = code >= 0x73 || code == 0x64;
			if (!primitive) {
				throw new MalformedBinaryException("unknown primitive value type " + value, at);
			}
			return;
		}
		this.spaces.check(ComponentSort.TYPE, value, at);
	}

	private void readStart(WasmReader section) {
		index(section, ComponentSort.FUNC);
		int argumentCount = section.count("start argument", 1);
		for (int i = 0; i < argumentCount; i++) {
			index(section, ComponentSort.VALUE);
		}
		long resultsAt = section.offset();
		this.spaces.addCount(ComponentSort.VALUE, section.u32("start result count"), resultsAt);
	}

	private void readImports(WasmReader section) {
		int count = section.count("import", 4);
		for (int i = 0; i < count; i++) {
			long at = section.offset();
			String name = readExternName(section);
			ComponentSort sort = readExternDescriptor(section);
			this.spaces.addOther(sort, "import '" + name + "'", at);
			this.imports.add(new ComponentExtern(name, sort));
		}
	}

	private void readExports(WasmReader section) {
		int count = section.count("export", 4);
		for (int i = 0; i < count; i++) {
			long at = section.offset();
			String name = readExternName(section);
			SortIndex exported = readSortIndex(section);
			long descriptorAt = section.offset();
			int hasDescriptor = section.u8("export type flag");
			if (hasDescriptor == 0x01) {
				readExternDescriptor(section);
			}
			else if (hasDescriptor != 0x00) {
				throw new MalformedBinaryException(
						"export type flag 0x" + Integer.toHexString(hasDescriptor) + ", expected 0x00 or 0x01",
						descriptorAt);
			}
			// An export is also a new index aliasing what it exports.
			ComponentSort sort = exported.sort();
			if (IndexSpaces.hasCoreItems(sort)) {
				this.spaces.addCoreItem(sort, this.spaces.coreItem(sort, exported.index()));
			}
			else if (sort == ComponentSort.CORE_MODULE) {
				this.spaces.addCoreModule(this.spaces.coreModule(exported.index()));
			}
			else if (sort == ComponentSort.CORE_INSTANCE) {
				this.spaces.addCoreInstance(this.spaces.coreInstance(exported.index()));
			}
			else {
				this.spaces.addOther(sort, "export '" + name + "'", at);
			}
			this.exports.add(new ComponentExtern(name, sort));
		}
	}

	/** {@code importname'} / {@code exportname'}: a form byte, then the name. */
	private static String readExternName(WasmReader section) {
		long at = section.offset();
		int form = section.u8("extern name form");
		if (form != 0x00 && form != 0x01) {
			throw new MalformedBinaryException(
					"extern name form 0x" + Integer.toHexString(form) + ", expected 0x00 or 0x01", at);
		}
		return section.name("extern name");
	}

	private ComponentSort readExternDescriptor(WasmReader section) {
		long at = section.offset();
		int kind = section.u8("extern descriptor");
		switch (kind) {
			case 0x00 -> {
				expectByte(section, 0x11, "0x11 (core module) after extern descriptor 0x00");
				index(section, ComponentSort.CORE_TYPE);
				return ComponentSort.CORE_MODULE;
			}
			case 0x01 -> {
				index(section, ComponentSort.TYPE);
				return ComponentSort.FUNC;
			}
			case 0x02 -> {
				long boundAt = section.offset();
				int bound = section.u8("value bound");
				if (bound == 0x00) {
					index(section, ComponentSort.VALUE);
				}
				else if (bound == 0x01) {
					readValueType(section);
				}
				else {
					throw new MalformedBinaryException(
							"value bound 0x" + Integer.toHexString(bound) + ", expected 0x00 or 0x01", boundAt);
				}
				return ComponentSort.VALUE;
			}
			case 0x03 -> {
				long boundAt = section.offset();
				int bound = section.u8("type bound");
				if (bound == 0x00) {
					index(section, ComponentSort.TYPE);
				}
				else if (bound != 0x01) {
					throw new MalformedBinaryException(
							"type bound 0x" + Integer.toHexString(bound) + ", expected 0x00 or 0x01", boundAt);
				}
				return ComponentSort.TYPE;
			}
			case 0x04 -> {
				index(section, ComponentSort.TYPE);
				return ComponentSort.COMPONENT;
			}
			case 0x05 -> {
				index(section, ComponentSort.TYPE);
				return ComponentSort.INSTANCE;
			}
			default -> throw new MalformedBinaryException(
					"unknown extern descriptor 0x" + Integer.toHexString(kind), at);
		}
	}

	private SortIndex readSortIndex(WasmReader section) {
		ComponentSort sort = readSort(section);
		return new SortIndex(sort, index(section, sort));
	}

	private static ComponentSort readSort(WasmReader section) {
		long at = section.offset();
		int sort = section.u8("sort");
		return switch (sort) {
			case 0x00 -> readCoreSort(section);
			case 0x01 -> ComponentSort.FUNC;
			case 0x02 -> ComponentSort.VALUE;
			case 0x03 -> ComponentSort.TYPE;
			case 0x04 -> ComponentSort.COMPONENT;
			case 0x05 -> ComponentSort.INSTANCE;
			default -> throw new MalformedBinaryException("unknown sort 0x" + Integer.toHexString(sort), at);
		};
	}

	private static ComponentSort readCoreSort(WasmReader section) {
		long at = section.offset();
		int sort = section.u8("core sort");
		return switch (sort) {
			case 0x00 -> ComponentSort.CORE_FUNC;
			case 0x01 -> ComponentSort.CORE_TABLE;
			case 0x02 -> ComponentSort.CORE_MEMORY;
			case 0x03 -> ComponentSort.CORE_GLOBAL;
			case 0x04 -> ComponentSort.CORE_TAG;
			case 0x10 -> ComponentSort.CORE_TYPE;
			case 0x11 -> ComponentSort.CORE_MODULE;
			case 0x12 -> ComponentSort.CORE_INSTANCE;
			default -> throw new MalformedBinaryException("unknown core sort 0x" + Integer.toHexString(sort), at);
		};
	}

	// After all sections: follow every lift to main and check that everything agrees.
	private ComponentModel resolve() {
		if (this.lifts.isEmpty()) {
			throw new InvalidPluginException("component '" + this.source + "' lifts no core function at its top level"
					+ " (a component that only re-exports nested components is not supported)");
		}
		ResolvedExport first = null;
		List<CanonicalLift> resolved = new ArrayList<>(this.lifts.size());
		for (RawLift lift : this.lifts) {
			String what = "the core function of the canon lift at offset " + lift.offset;
			ResolvedExport function = this.spaces.resolve(ComponentSort.CORE_FUNC, lift.coreFunc, what, lift.offset);
			String export = function.name();
			StringEncoding encoding = (lift.options.encoding != null) ? lift.options.encoding : StringEncoding.UTF8;
			if (encoding != StringEncoding.UTF8) {
				throw new InvalidPluginException("component '" + this.source + "': export '" + export
						+ "' is lifted with string-encoding=" + encoding.label() + "; only utf8 is supported");
			}
			if (first == null) {
				first = function;
			}
			else if (function.instance() != first.instance()) {
				throw new InvalidPluginException("component '" + this.source + "': lifted functions come from more"
						+ " than one core instance: '" + first.name() + "' from instance " + first.instance()
						+ " (module " + first.module() + "), '" + export + "' from instance " + function.instance()
						+ " (module " + function.module() + "); expected a single main module");
			}
			RawOptions options = lift.options;
			resolved.add(new CanonicalLift(export,
					new CanonicalOptions(encoding, optionExport(options.memory, ComponentSort.CORE_MEMORY, "memory",
							export, function),
							optionExport(options.realloc, ComponentSort.CORE_FUNC, "realloc", export, function),
							optionExport(options.postReturn, ComponentSort.CORE_FUNC, "post-return", export, function),
							options.async,
							optionExport(options.callback, ComponentSort.CORE_FUNC, "callback", export, function)),
					lift.offset));
		}
		Instantiation main = (Instantiation) this.spaces.coreInstance(first.instance());
		if (!(this.spaces.coreModule(main.module()) instanceof Embedded embedded)) {
			throw new InvalidPluginException("component '" + this.source + "': the main core instance "
					+ first.instance() + " instantiates core module " + main.module()
					+ ", which is not embedded in the component");
		}
		byte[] mainModule = Arrays.copyOfRange(this.bytes, embedded.start(), embedded.start() + embedded.length());
		return new ComponentModel(this.source, mainModule, embedded.start(), main.module(),
				(int) this.spaces.size(ComponentSort.CORE_MODULE), main.argumentNames(), resolved, this.imports,
				this.exports, this.coreModuleNames);
	}

	private @Nullable String optionExport(@Nullable IndexAt option, ComponentSort sort, String what, String export,
			ResolvedExport function) {
		if (option == null) {
			return null;
		}
		String description = "the " + what + " option of the lift of '" + export + "'";
		ResolvedExport resolved = this.spaces.resolve(sort, option.index, description, option.offset);
		if (resolved.instance() != function.instance()) {
			throw new InvalidPluginException("component '" + this.source + "': " + description + " is export '"
					+ resolved.name() + "' of core instance " + resolved.instance() + " (module " + resolved.module()
					+ "), not of the main instance " + function.instance() + " (module " + function.module() + ")");
		}
		return resolved.name();
	}

	/** An index read from an option, with where it was read. */
	private record IndexAt(int index, long offset) {
	}

	/** Canonical options as read, before resolution. */
	private static final class RawOptions {

		@Nullable StringEncoding encoding;

		@Nullable IndexAt memory;

		@Nullable IndexAt realloc;

		@Nullable IndexAt postReturn;

		boolean async;

		@Nullable IndexAt callback;

	}

	private record RawLift(int coreFunc, RawOptions options, long offset) {
	}

}
