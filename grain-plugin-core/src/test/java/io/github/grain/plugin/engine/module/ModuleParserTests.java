package io.github.grain.plugin.engine.module;

import static io.github.grain.plugin.engine.module.ModuleBytes.bytes;
import static io.github.grain.plugin.engine.module.ModuleBytes.concat;
import static io.github.grain.plugin.engine.module.ModuleBytes.leb;
import static io.github.grain.plugin.engine.module.ModuleBytes.module;
import static io.github.grain.plugin.engine.module.ModuleBytes.name;
import static io.github.grain.plugin.engine.module.ModuleBytes.section;
import static io.github.grain.plugin.engine.module.ValueType.I32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.github.grain.plugin.engine.MalformedBinaryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ModuleParser} on modules emitted in the test: what it reads, and the exact
 * error with its byte offset for malformed input.
 */
class ModuleParserTests {

	/**
	 * What {@code wat2wasm} 1.0.32 emits for:
	 * <pre>
	 * (module
	 *   (type (func (param i32 i32 i32)))
	 *   (type (func (param i32 i32 i32 i32) (result i32)))
	 *   (type (func (result i32)))
	 *   (import "grain:plugin/host" "log" (func (type 0)))
	 *   (import "cm32p2|grain:plugin/host" "env-get" (func (type 0)))
	 *   (func (type 1) (i32.const 0))
	 *   (func (type 2) (i32.const 0))
	 *   (memory 1 2)
	 *   (export "cabi_realloc" (func 2))
	 *   (export "grain:plugin/plugin#init" (func 3))
	 *   (export "memory" (memory 0)))
	 * </pre>
	 */
	private static final byte[] WAT2WASM = HexFormat.of()
		.parseHex("0061736d0100000001130360037f7f7f0060047f7f7f7f017f6000017f023c0211677261696e3a706c7567696e2f686f"
				+ "7374036c6f67000018636d333270327c677261696e3a706c7567696e2f686f737407656e762d676574000003030201"
				+ "020504010101020734030c636162695f7265616c6c6f63000218677261696e3a706c7567696e2f706c7567696e2369"
				+ "6e69740003066d656d6f727902000a0b02040041000b040041000b");

	private static final FunctionType LOG = FunctionType.i32(3, 0);

	private static final FunctionType REALLOC = FunctionType.i32(4, 1);

	private static final FunctionType INIT = FunctionType.i32(0, 1);

	private static ModuleBytes sample() {
		return new ModuleBytes().type(List.of(I32, I32, I32), List.of())
			.type(List.of(I32, I32, I32, I32), List.of(I32))
			.type(List.of(), List.of(I32))
			.importFunction("grain:plugin/host", "log", 0)
			.importFunction("cm32p2|grain:plugin/host", "env-get", 0)
			.function(1)
			.function(2)
			.memory(1, 2)
			.export("cabi_realloc", 0, 2)
			.export("grain:plugin/plugin#init", 0, 3)
			.export("memory", 2, 0);
	}

	@Test
	void testBuilderEmitsWhatWat2wasmEmits() {
		assertThat(sample().build()).isEqualTo(WAT2WASM);
	}

	@Test
	void readsImportsWithTheirFunctionTypes() {
		ModuleInfo info = ModuleParser.parse(WAT2WASM);
		assertThat(info.imports()).containsExactly(
				new ModuleInfo.Import("grain:plugin/host", "log", ExternKind.FUNC, LOG),
				new ModuleInfo.Import("cm32p2|grain:plugin/host", "env-get", ExternKind.FUNC, LOG));
	}

	@Test
	void resolvesExportedFunctionTypesAfterTheImportedFunctions() {
		ModuleInfo info = ModuleParser.parse(WAT2WASM);
		assertThat(info.exports()).containsExactly(new ModuleInfo.Export("cabi_realloc", ExternKind.FUNC, 2, REALLOC),
				new ModuleInfo.Export("grain:plugin/plugin#init", ExternKind.FUNC, 3, INIT),
				new ModuleInfo.Export("memory", ExternKind.MEMORY, 0, null));
		assertThat(info.functionExport("cabi_realloc")).map(ModuleInfo.Export::functionType).contains(REALLOC);
		assertThat(info.functionExport("memory")).isEmpty();
		assertThat(info.export("memory")).isPresent();
		assertThat(info.export("nope")).isEmpty();
	}

	@Test
	void readsMemoryLimitsAndWhereTheMemorySectionStarts() {
		ModuleBytes sample = sample();
		ModuleInfo info = ModuleParser.parse(sample.build());
		assertThat(info.memories()).containsExactly(new ModuleInfo.MemoryLimits(1, 2, false));
		assertThat(info.memorySectionOffset()).isEqualTo(sample.payloadOffset(5)).isEqualTo(98);
	}

	@Test
	void exportedImportHasTheImportsType() {
		byte[] bytes = new ModuleBytes().type(List.of(I32, I32, I32), List.of())
			.importFunction("m", "f", 0)
			.export("again", 0, 0)
			.build();
		assertThat(ModuleParser.parse(bytes).exports())
			.containsExactly(new ModuleInfo.Export("again", ExternKind.FUNC, 0, LOG));
	}

	@Test
	void readsEveryImportKindWithImportedMemoriesFirst() {
		byte[] bytes = new ModuleBytes().type(List.of(), List.of())
			.importTable("env", "table")
			.importMemory("env", "memory", 2, 65536)
			.importGlobal("env", "sp")
			.importTag("env", "exn", 0)
			.importFunction("env", "f", 0)
			.memory(3, -1)
			.build();
		ModuleInfo info = ModuleParser.parse(bytes);
		assertThat(info.imports()).extracting(ModuleInfo.Import::name, ModuleInfo.Import::kind)
			.containsExactly(tuple("table", ExternKind.TABLE),
					tuple("memory", ExternKind.MEMORY),
					tuple("sp", ExternKind.GLOBAL),
					tuple("exn", ExternKind.TAG),
					tuple("f", ExternKind.FUNC));
		assertThat(info.imports()).filteredOn((i) -> i.kind() != ExternKind.FUNC)
			.allSatisfy((i) -> assertThat(i.functionType()).isNull());
		assertThat(info.memories()).containsExactly(new ModuleInfo.MemoryLimits(2, 65536, true),
				new ModuleInfo.MemoryLimits(3, -1, false));
	}

	static Stream<Arguments> limits() {
		return Stream.of(
				arguments("no maximum", "00 11", 17, -1),
				arguments("maximum", "01 01 02", 1, 2),
				arguments("multi-byte minimum", "00 808004", 65536, -1),
				arguments("largest u32", "01 00 ffffffff0f", 0, 0xFFFF_FFFFL),
				arguments("non-minimal LEB", "00 8180808000", 1, -1),
				arguments("shared with maximum", "03 01 10", 1, 16));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("limits")
	void readsMemoryLimits(String name, String limits, long min, long max) {
		byte[] bytes = module(section(5, concat(bytes(1), HexFormat.of().parseHex(limits.replace(" ", "")))));
		assertThat(ModuleParser.parse(bytes).memories()).containsExactly(new ModuleInfo.MemoryLimits(min, max, false));
	}

	static Stream<Arguments> exportKinds() {
		return Stream.of(arguments(1, ExternKind.TABLE), arguments(2, ExternKind.MEMORY),
				arguments(3, ExternKind.GLOBAL), arguments(4, ExternKind.TAG));
	}

	@ParameterizedTest(name = "kind {0} is {1}")
	@MethodSource("exportKinds")
	void readsNonFunctionExportsWithoutAType(int kind, ExternKind externKind) {
		byte[] bytes = new ModuleBytes().export("x", kind, 7).build();
		assertThat(ModuleParser.parse(bytes).exports())
			.containsExactly(new ModuleInfo.Export("x", externKind, 7, null));
	}

	@Test
	void skipsCustomAndOtherSections() {
		byte[] bytes = concat(sample().build(), section(0, concat(name("name"), bytes(1, 2, 3))),
				section(12, bytes(0)), section(0, bytes()));
		ModuleInfo info = ModuleParser.parse(bytes);
		assertThat(info.exports()).hasSize(3);
	}

	@Test
	void acceptsNonMinimalLebSizes() {
		byte[] payload = concat(bytes(1), bytes(0x60, 0, 0));
		byte[] bytes = module(bytes(1), bytes(0x80 | payload.length, 0x80, 0x80, 0x80, 0x00), payload,
				section(3, bytes(1, 0)), section(7, concat(bytes(1), name("f"), bytes(0, 0))));
		assertThat(ModuleParser.parse(bytes).exports())
			.containsExactly(new ModuleInfo.Export("f", ExternKind.FUNC, 0, FunctionType.i32(0, 0)));
	}

	@Test
	void emptyModuleHasNothing() {
		ModuleInfo info = ModuleParser.parse(ModuleBytes.HEADER.clone());
		assertThat(info.imports()).isEmpty();
		assertThat(info.exports()).isEmpty();
		assertThat(info.memories()).isEmpty();
		assertThat(info.memorySectionOffset()).isEqualTo(-1);
	}

	@Test
	void recognisesTheCoreHeaderOnly() {
		assertThat(ModuleParser.isCoreModule(WAT2WASM)).isTrue();
		assertThat(ModuleParser.isCoreModule(HexFormat.of().parseHex("0061736d0d000100"))).isFalse();
		assertThat(ModuleParser.isCoreModule(HexFormat.of().parseHex("0061736d"))).isFalse();
		assertThat(ModuleParser.isCoreModule(new byte[0])).isFalse();
	}

	// ---- malformed input -------------------------------------------------------

	static Stream<Arguments> badHeaders() {
		return Stream.of(
				arguments("empty", ""),
				arguments("short", "0061736d"),
				arguments("bad magic", "0061736e01000000"),
				arguments("component header", "0061736d0d000100"),
				arguments("version 2", "0061736d02000000"),
				arguments("text", "286d6f64756c6529"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badHeaders")
	void rejectsAnythingButTheCoreHeader(String name, String hex) {
		assertThatExceptionOfType(MalformedBinaryException.class)
			.isThrownBy(() -> ModuleParser.parse(HexFormat.of().parseHex(hex)))
			.withMessage("malformed binary at offset 0 (0x0): not a core WebAssembly module (bad magic or version)")
			.satisfies((ex) -> assertThat(ex.offset()).isZero());
	}

	@Test
	void everyTruncationIsMalformedUnlessItEndsOnASectionBoundary() {
		ModuleBytes sample = sample();
		byte[] whole = sample.build();
		List<Integer> boundaries = sample.sectionEnds();
		for (int length = 0; length < whole.length; length++) {
			byte[] prefix = Arrays.copyOf(whole, length);
			if (boundaries.contains(length)) {
				ModuleParser.parse(prefix);
				continue;
			}
			int cut = length;
			assertThatExceptionOfType(MalformedBinaryException.class).as("prefix of %d bytes", length)
				.isThrownBy(() -> ModuleParser.parse(prefix))
				.satisfies((ex) -> assertThat(ex.offset()).isBetween(0L, (long) cut));
		}
		assertThat(boundaries).as("header plus six sections").hasSize(7);
	}

	private static Arguments malformed(String name, Supplier<byte[]> bytes, long offset, String what) {
		return arguments(name, bytes, offset, what);
	}

	private static int exportEntryOffset() {
		ModuleBytes builder = new ModuleBytes().type(List.of(), List.of()).function(0).export("f", 0, 5);
		builder.build();
		return builder.payloadOffset(7) + 1;
	}

	static Stream<Arguments> malformedModules() {
		return Stream.of(
				malformed("section size LEB longer than 5 bytes", () -> module(bytes(1, 0x80, 0x80, 0x80, 0x80, 0x80, 0)),
						9, "section size: LEB128 u32 longer than 5 bytes"),
				malformed("section size LEB overflowing 32 bits", () -> module(bytes(1, 0x80, 0x80, 0x80, 0x80, 0x10)), 9,
						"section size: LEB128 u32 overflows 32 bits"),
				malformed("section size above 2^31", () -> module(bytes(1, 0xff, 0xff, 0xff, 0xff, 0x0f)), 9,
						"section size too large: 4294967295"),
				malformed("section size past the end", () -> module(bytes(1, 0x7f, 0x00)), 10,
						"section of 127 bytes exceeds the 1 bytes left"),
				malformed("unknown section id", () -> module(bytes(14, 0)), 8, "unknown section id 14"),
				malformed("trailing bytes in a section", () -> module(section(1, bytes(1, 0x60, 0, 0, 0xAA))), 14,
						"section 1 has 1 trailing bytes"),
				malformed("type count larger than the bytes left", () -> module(section(1, bytes(10, 0x60, 0, 0))), 10,
						"type count 10 exceeds the 3 bytes left"),
				malformed("huge type count", () -> module(section(1, concat(leb(0xFFFF_FFFFL), bytes(0x60, 0, 0)))),
						10, "type count 4294967295 exceeds the 3 bytes left"),
				malformed("parameter count larger than the bytes left",
						() -> module(section(1, bytes(1, 0x60, 5, 0x7f, 0))), 12,
						"value type count 5 exceeds the 2 bytes left"),
				malformed("import count larger than the bytes left", () -> module(section(2, bytes(2, 0, 0, 0, 0))),
						10, "import count 2 exceeds the 4 bytes left"),
				malformed("function count larger than the bytes left", () -> module(section(3, bytes(3, 0, 0))), 10,
						"function count 3 exceeds the 2 bytes left"),
				malformed("memory count larger than the bytes left", () -> module(section(5, bytes(2, 0, 1))), 10,
						"memory count 2 exceeds the 2 bytes left"),
				malformed("export count larger than the bytes left",
						() -> module(section(7, concat(bytes(2), name("f"), bytes(0, 0)))), 10,
						"export count 2 exceeds the 4 bytes left"),
				malformed("unsupported type form", () -> module(section(1, bytes(1, 0x5e, 0, 0))), 11,
						"unsupported type form 0x5e"),
				malformed("unknown value type", () -> module(section(1, bytes(1, 0x60, 1, 0x40, 0))), 13,
						"unknown value type 0x40"),
				malformed("function with a missing type", () -> module(section(1, bytes(1, 0x60, 0, 0)),
						section(3, bytes(1, 3))), 17, "type index 3 out of range (1 types)"),
				malformed("import with a missing type",
						() -> module(section(2, concat(bytes(1), name("m"), name("f"), bytes(0, 0)))), 16,
						"type index 0 out of range (0 types)"),
				malformed("unknown import kind",
						() -> module(section(2, concat(bytes(1), name("m"), name("n"), bytes(5, 0)))), 15,
						"unknown import kind 0x5 for 'm' 'n'"),
				malformed("unknown export kind", () -> module(section(7, concat(bytes(1), name("e"), bytes(5, 0)))), 13,
						"unknown export kind 0x5"),
				malformed("64-bit memory", () -> module(section(5, bytes(1, 0x04, 1))), 11,
						"unsupported limits flags 0x4 (64-bit memories are not supported)"),
				malformed("name that is not UTF-8", () -> module(section(7, concat(bytes(1, 1, 0xff), bytes(0, 0)))), 11,
						"name is not valid UTF-8"),
				malformed("overlong UTF-8 name", () -> module(section(7, concat(bytes(1, 2, 0xc0, 0x80), bytes(0, 0)))),
						11, "name is not valid UTF-8"),
				malformed("name longer than its section", () -> module(section(7, bytes(1, 16, 0x61, 0, 0))), 11,
						"name length 16 exceeds the 3 bytes left"),
				malformed("export of a missing function",
						() -> new ModuleBytes().type(List.of(), List.of()).function(0).export("f", 0, 5).build(),
						exportEntryOffset(), "export 'f' names function 5 of 1"),
				malformed("function export without any functions", () -> new ModuleBytes().export("g", 0, 0).build(),
						11, "export 'g' names function 0 of 0"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformedModules")
	void malformedModuleIsRejectedWithTheOffset(String name, Supplier<byte[]> bytes, long offset, String what) {
		assertThatExceptionOfType(MalformedBinaryException.class).isThrownBy(() -> ModuleParser.parse(bytes.get()))
			.withMessage("malformed binary at offset " + offset + " (0x" + Long.toHexString(offset) + "): " + what)
			.satisfies((ex) -> assertThat(ex.offset()).isEqualTo(offset));
	}

}
