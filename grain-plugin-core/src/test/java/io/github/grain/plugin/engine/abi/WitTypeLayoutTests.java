package io.github.grain.plugin.engine.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.github.grain.plugin.engine.module.ValueType;
import io.github.grain.plugin.engine.wit.GrainTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Layouts derived from the type descriptions in {@link GrainTypes}, pinned to the
 * measured table of CONTRACT.md §3, and the Canonical ABI's general layout rules.
 */
class WitTypeLayoutTests {

	private static WitType.RecordType record(WitType type) {
		return (WitType.RecordType) type;
	}

	private static WitType.VariantType variant(WitType type) {
		return (WitType.VariantType) type;
	}

	private static WitType field(WitType record, String name) {
		return record(record).fields()
			.stream()
			.filter((f) -> f.name().equals(name))
			.findFirst()
			.orElseThrow()
			.type();
	}

	private static WitType caseType(WitType variant, String name) {
		return variant(variant).cases().stream().filter((c) -> c.name().equals(name)).findFirst().orElseThrow().payload();
	}

	private static WitType tupleOfStrings() {
		return ((WitType.ListType) GrainTypes.HEADERS).element();
	}

	// ---- CONTRACT.md §3, "Memory layouts" --------------------------------------

	static Stream<Arguments> contractSizes() {
		return Stream.of(
				arguments("string", WitType.string(), 8, 4),
				arguments("list<tuple<string,string>>", GrainTypes.HEADERS, 8, 4),
				arguments("option<string>", GrainTypes.OPTION_STRING, 12, 4),
				arguments("tuple<string,string>", tupleOfStrings(), 16, 4),
				arguments("http-response", GrainTypes.HTTP_RESPONSE, 20, 4),
				arguments("result<http-response,string>", GrainTypes.HTTP_RESULT, 24, 4),
				arguments("tool-def", GrainTypes.TOOL_DEF, 32, 4),
				arguments("tool-result", GrainTypes.TOOL_RESULT, 12, 4),
				arguments("plugin-info", GrainTypes.PLUGIN_INFO, 16, 4),
				arguments("result<plugin-info,string>", GrainTypes.INIT_RESULT, 20, 4),
				arguments("role-def", GrainTypes.ROLE_DEF, 44, 4),
				arguments("hook-def", GrainTypes.HOOK_DEF, 12, 4),
				arguments("ui-header", GrainTypes.UI_HEADER, 24, 4),
				arguments("host-action", GrainTypes.HOST_ACTION, 28, 4),
				arguments("result<list<host-action>,string>", GrainTypes.HOOK_RESULT, 12, 4),
				arguments("log-level", GrainTypes.LOG_LEVEL, 1, 1),
				arguments("hook-point", GrainTypes.HOOK_POINT, 1, 1));
	}

	@ParameterizedTest(name = "{0} is {2}/{3}")
	@MethodSource("contractSizes")
	void sizeAndAlignmentMatchTheContract(String name, WitType type, int size, int alignment) {
		assertThat(type.size()).as("size of %s", name).isEqualTo(size);
		assertThat(type.alignment()).as("alignment of %s", name).isEqualTo(alignment);
	}

	static Stream<Arguments> contractRecordOffsets() {
		return Stream.of(
				arguments("tuple<string,string>", tupleOfStrings(), List.of(0, 8)),
				arguments("http-response", GrainTypes.HTTP_RESPONSE, List.of(0, 4, 12)),
				arguments("tool-def", GrainTypes.TOOL_DEF, List.of(0, 8, 16, 24)),
				arguments("tool-result", GrainTypes.TOOL_RESULT, List.of(0, 8)),
				arguments("plugin-info", GrainTypes.PLUGIN_INFO, List.of(0, 8)),
				arguments("role-def", GrainTypes.ROLE_DEF, List.of(0, 8, 16, 24, 32)),
				arguments("hook-def", GrainTypes.HOOK_DEF, List.of(0, 4)),
				arguments("ui-header", GrainTypes.UI_HEADER, List.of(0, 12)));
	}

	@ParameterizedTest(name = "{0} fields at {2}")
	@MethodSource("contractRecordOffsets")
	void recordFieldOffsetsMatchTheContract(String name, WitType type, List<Integer> offsets) {
		WitType.RecordType record = record(type);
		assertThat(record.fields()).hasSameSizeAs(offsets);
		List<Integer> actual = IntStream.range(0, record.fields().size()).mapToObj(record::offset).toList();
		assertThat(actual).as("field offsets of %s", name).isEqualTo(offsets);
	}

	static Stream<Arguments> contractVariantLayouts() {
		return Stream.of(
				arguments("option<string>", GrainTypes.OPTION_STRING, List.of("none", "some"), 4),
				arguments("result<http-response,string>", GrainTypes.HTTP_RESULT, List.of("ok", "err"), 4),
				arguments("result<plugin-info,string>", GrainTypes.INIT_RESULT, List.of("ok", "err"), 4),
				arguments("result<list<host-action>,string>", GrainTypes.HOOK_RESULT, List.of("ok", "err"), 4),
				arguments("host-action", GrainTypes.HOST_ACTION,
						List.of("switch-role", "switch-model", "set-system-prompt", "set-active-tools",
								"inject-user-message", "stop-after-turn", "emit-custom", "set-ui-header",
								"set-ui-status"),
						4),
				arguments("log-level", GrainTypes.LOG_LEVEL, List.of("debug", "info", "warn", "error"), 1),
				arguments("hook-point", GrainTypes.HOOK_POINT,
						List.of("before-agent-start", "after-tool-call", "prepare-next-turn", "should-stop-after-turn"),
						1));
	}

	@ParameterizedTest(name = "{0}: u8 discriminant @0, payload @{3}")
	@MethodSource("contractVariantLayouts")
	void variantsHaveAByteDiscriminantAndTheContractPayloadOffset(String name, WitType type, List<String> cases,
			int payloadOffset) {
		WitType.VariantType variant = variant(type);
		assertThat(variant.cases()).extracting(WitType.Case::name).as("case order of %s", name).isEqualTo(cases);
		assertThat(variant.discriminant().kind()).isEqualTo(WitType.Kind.U8);
		assertThat(variant.payloadOffset()).as("payload offset of %s", name).isEqualTo(payloadOffset);
	}

	@Test
	void nestedFieldsHaveTheContractShapes() {
		assertThat(field(GrainTypes.HTTP_RESPONSE, "status").kind()).isEqualTo(WitType.Kind.U16);
		assertThat(field(GrainTypes.TOOL_RESULT, "is-error").kind()).isEqualTo(WitType.Kind.BOOL);
		assertThat(field(GrainTypes.HOOK_DEF, "point")).isSameAs(GrainTypes.HOOK_POINT);
		assertThat(field(GrainTypes.ROLE_DEF, "tools").kind()).isEqualTo(WitType.Kind.LIST);
		assertThat(field(GrainTypes.ROLE_DEF, "thinking-level").size()).isEqualTo(12);
		assertThat(field(GrainTypes.UI_HEADER, "provider").size()).isEqualTo(12);
		assertThat(caseType(GrainTypes.HTTP_RESULT, "ok")).isSameAs(GrainTypes.HTTP_RESPONSE);
		assertThat(caseType(GrainTypes.HTTP_RESULT, "err").kind()).isEqualTo(WitType.Kind.STRING);
		assertThat(caseType(GrainTypes.HOST_ACTION, "stop-after-turn").kind()).isEqualTo(WitType.Kind.BOOL);
		assertThat(caseType(GrainTypes.HOST_ACTION, "set-ui-header")).isSameAs(GrainTypes.UI_HEADER);
		assertThat(caseType(GrainTypes.HOST_ACTION, "set-active-tools").kind()).isEqualTo(WitType.Kind.LIST);
		assertThat(((WitType.ListType) caseType(GrainTypes.HOOK_RESULT, "ok")).element())
			.isSameAs(GrainTypes.HOST_ACTION);
	}

	// ---- flattening ------------------------------------------------------------

	static Stream<Arguments> flatCounts() {
		return Stream.of(
				arguments("bool", WitType.bool(), 1),
				arguments("u8", WitType.u8(), 1),
				arguments("u16", WitType.u16(), 1),
				arguments("u32", WitType.u32(), 1),
				arguments("string", WitType.string(), 2),
				arguments("list<tuple<string,string>>", GrainTypes.HEADERS, 2),
				arguments("option<string>", GrainTypes.OPTION_STRING, 3),
				arguments("tuple<string,string>", tupleOfStrings(), 4),
				arguments("http-response", GrainTypes.HTTP_RESPONSE, 5),
				// 1 + max(http-response 5, string 2)
				arguments("result<http-response,string>", GrainTypes.HTTP_RESULT, 6),
				arguments("tool-def", GrainTypes.TOOL_DEF, 8),
				arguments("tool-result", GrainTypes.TOOL_RESULT, 3),
				arguments("plugin-info", GrainTypes.PLUGIN_INFO, 4),
				arguments("result<plugin-info,string>", GrainTypes.INIT_RESULT, 5),
				arguments("role-def", GrainTypes.ROLE_DEF, 11),
				arguments("hook-def", GrainTypes.HOOK_DEF, 3),
				arguments("ui-header", GrainTypes.UI_HEADER, 6),
				// 1 + max(string 2, list 2, bool 1, ui-header 6)
				arguments("host-action", GrainTypes.HOST_ACTION, 7),
				arguments("result<list<host-action>,string>", GrainTypes.HOOK_RESULT, 3),
				arguments("log-level", GrainTypes.LOG_LEVEL, 1),
				arguments("hook-point", GrainTypes.HOOK_POINT, 1));
	}

	@ParameterizedTest(name = "{0} flattens to {2} i32")
	@MethodSource("flatCounts")
	void flattensToTheExpectedNumberOfI32(String name, WitType type, int count) {
		assertThat(type.flat()).as("flat of %s", name).hasSize(count).containsOnly(ValueType.I32);
	}

	@Test
	void variantFlatIsDiscriminantPlusTheLongestCaseFlattening() {
		// set-ui-header's ui-header (two option<string>: 3 + 3) is the longest of string 2, list 2, bool 1
		WitType.VariantType variant = variant(WitType.variant("v", WitType.caseOf("a", WitType.string()),
				WitType.caseOf("b", GrainTypes.UI_HEADER), WitType.caseOf("c", WitType.bool()),
				WitType.caseOf("d", null)));
		assertThat(variant.flat()).hasSize(7).containsOnly(ValueType.I32);
	}

	@Test
	void recordFlatIsTheConcatenationOfItsFields() {
		WitType.RecordType record = WitType.record("r", WitType.field("a", WitType.bool()),
				WitType.field("b", WitType.string()), WitType.field("c", GrainTypes.OPTION_STRING));
		assertThat(record.flat()).hasSize(1 + 2 + 3);
	}

	@Test
	void flatListsAreUnmodifiable() {
		List<ValueType> flat = GrainTypes.HOST_ACTION.flat();
		org.assertj.core.api.Assertions.assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> flat.add(ValueType.I64));
	}

	// ---- general rules -----------------------------------------------------------

	static Stream<Arguments> primitives() {
		return Stream.of(
				arguments(WitType.bool(), WitType.Kind.BOOL, 1, "bool"),
				arguments(WitType.u8(), WitType.Kind.U8, 1, "u8"),
				arguments(WitType.u16(), WitType.Kind.U16, 2, "u16"),
				arguments(WitType.u32(), WitType.Kind.U32, 4, "u32"));
	}

	@ParameterizedTest(name = "{3} is {2}/{2}")
	@MethodSource("primitives")
	void primitivesAreAlignedToTheirSize(WitType type, WitType.Kind kind, int bytes, String text) {
		assertThat(type.kind()).isEqualTo(kind);
		assertThat(type.size()).isEqualTo(bytes);
		assertThat(type.alignment()).isEqualTo(bytes);
		assertThat(type).hasToString(text);
	}

	static Stream<Arguments> recordPadding() {
		return Stream.of(
				arguments("u8,u32,u8", List.of(WitType.u8(), WitType.u32(), WitType.u8()), List.of(0, 4, 8), 12, 4),
				arguments("u8,u16", List.of(WitType.u8(), WitType.u16()), List.of(0, 2), 4, 2),
				arguments("bool,u8", List.of(WitType.bool(), WitType.u8()), List.of(0, 1), 2, 1),
				arguments("u16,u8", List.of(WitType.u16(), WitType.u8()), List.of(0, 2), 4, 2),
				arguments("u32,u8", List.of(WitType.u32(), WitType.u8()), List.of(0, 4), 8, 4),
				arguments("u8,string", List.of(WitType.u8(), WitType.string()), List.of(0, 4), 12, 4),
				arguments("hook-point,u16,bool", List.of(GrainTypes.HOOK_POINT, WitType.u16(), WitType.bool()),
						List.of(0, 2, 4), 6, 2));
	}

	@ParameterizedTest(name = "tuple<{0}> fields at {2}, size {3}, align {4}")
	@MethodSource("recordPadding")
	void recordsAlignEachFieldAndRoundTheSizeUpToTheirAlignment(String name, List<WitType> types,
			List<Integer> offsets, int size, int alignment) {
		WitType.RecordType tuple = WitType.tuple(types.toArray(WitType[]::new));
		assertThat(IntStream.range(0, types.size()).mapToObj(tuple::offset).toList()).isEqualTo(offsets);
		assertThat(tuple.size()).isEqualTo(size);
		assertThat(tuple.alignment()).isEqualTo(alignment);
		assertThat(tuple.fields()).extracting(WitType.Field::name)
			.isEqualTo(IntStream.range(0, types.size()).mapToObj(Integer::toString).toList());
	}

	static Stream<Arguments> discriminantWidths() {
		return Stream.of(
				arguments(1, WitType.Kind.U8, 1),
				arguments(2, WitType.Kind.U8, 1),
				arguments(255, WitType.Kind.U8, 1),
				arguments(256, WitType.Kind.U8, 1),
				arguments(257, WitType.Kind.U16, 2),
				arguments(65536, WitType.Kind.U16, 2),
				arguments(65537, WitType.Kind.U32, 4));
	}

	@ParameterizedTest(name = "{0} cases -> {1}")
	@MethodSource("discriminantWidths")
	void discriminantIsTheSmallestUnsignedIntegerThatHoldsEveryCase(int caseCount, WitType.Kind kind, int bytes) {
		String[] labels = IntStream.range(0, caseCount).mapToObj((i) -> "c" + i).toArray(String[]::new);
		WitType.VariantType enumType = WitType.enumOf("e", labels);
		assertThat(enumType.discriminant().kind()).isEqualTo(kind);
		assertThat(enumType.size()).isEqualTo(bytes);
		assertThat(enumType.alignment()).isEqualTo(bytes);
		assertThat(enumType.flat()).containsExactly(ValueType.I32);
	}

	@Test
	void wideDiscriminantPushesThePayloadToItsAlignment() {
		List<WitType.Case> cases = new ArrayList<>(Collections.nCopies(256, WitType.caseOf("x", null)));
		cases.add(WitType.caseOf("last", WitType.u8()));
		WitType.VariantType wide = WitType.variant("wide", cases.toArray(WitType.Case[]::new));
		assertThat(wide.discriminant().kind()).isEqualTo(WitType.Kind.U16);
		assertThat(wide.payloadOffset()).isEqualTo(2);
		assertThat(wide.size()).isEqualTo(4);
		assertThat(wide.alignment()).isEqualTo(2);
	}

	static Stream<Arguments> variantLayouts() {
		return Stream.of(
				layout("result (no payloads)", () -> WitType.result(null, null), 1, 1, 1, 1),
				layout("result<_, string>", () -> WitType.result(null, WitType.string()), 12, 4, 4, 3),
				layout("result<string, _>", () -> WitType.result(WitType.string(), null), 12, 4, 4, 3),
				layout("option<u8>", () -> WitType.option(WitType.u8()), 2, 1, 1, 2),
				layout("option<bool>", () -> WitType.option(WitType.bool()), 2, 1, 1, 2),
				layout("option<u16>", () -> WitType.option(WitType.u16()), 4, 2, 2, 2),
				layout("option<u32>", () -> WitType.option(WitType.u32()), 8, 4, 4, 2),
				layout("option<option<string>>", () -> WitType.option(GrainTypes.OPTION_STRING), 16, 4, 4, 4),
				layout("variant{a, b(u8), c(u32)}",
						() -> WitType.variant("v", WitType.caseOf("a", null), WitType.caseOf("b", WitType.u8()),
								WitType.caseOf("c", WitType.u32())),
						8, 4, 4, 2),
				layout("variant{a(string), b(tuple<string,string>)}",
						() -> WitType.variant("v", WitType.caseOf("a", WitType.string()),
								WitType.caseOf("b", tupleOfStrings())),
						20, 4, 4, 5),
				layout("variant{a(u32), b} (payload case first)",
						() -> WitType.variant("v", WitType.caseOf("a", WitType.u32()), WitType.caseOf("b", null)),
						8, 4, 4, 2));
	}

	// Built by the test, not the argument source: PIT inserts a mutant after the sources ran.
	private static Arguments layout(String name, Supplier<WitType> type, int size, int alignment, int payloadOffset,
			int flatCount) {
		return arguments(name, type, size, alignment, payloadOffset, flatCount);
	}

	@ParameterizedTest(name = "{0}: {2}/{3}, payload @{4}, flat {5}")
	@MethodSource("variantLayouts")
	void variantsPlaceThePayloadAfterTheDiscriminantAtTheLargestCaseAlignment(String name, Supplier<WitType> type,
			int size, int alignment, int payloadOffset, int flatCount) {
		WitType.VariantType variant = variant(type.get());
		assertThat(variant.size()).as("size").isEqualTo(size);
		assertThat(variant.alignment()).as("alignment").isEqualTo(alignment);
		assertThat(variant.payloadOffset()).as("payload offset").isEqualTo(payloadOffset);
		assertThat(variant.flat()).as("flat").hasSize(flatCount).containsOnly(ValueType.I32);
	}

	@Test
	void optionAndResultDespecialiseToVariantsWithTheSpecCaseNames() {
		assertThat(variant(WitType.option(WitType.u8())).cases()).extracting(WitType.Case::name)
			.containsExactly("none", "some");
		assertThat(variant(WitType.result(null, null)).cases()).extracting(WitType.Case::name)
			.containsExactly("ok", "err");
		assertThat(variant(WitType.option(WitType.u8())).cases().get(0).payload()).isNull();
		assertThat(GrainTypes.HOOK_POINT.kind()).isEqualTo(WitType.Kind.VARIANT);
		assertThat(WitType.tuple(WitType.u8()).kind()).isEqualTo(WitType.Kind.RECORD);
	}

	@Test
	void variantWithoutCasesIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> WitType.variant("empty"))
			.withMessage("a variant needs at least one case");
	}

	@Test
	void recordsAndTuplesKeepTheirNames() {
		assertThat(WitType.record("plugin-info", WitType.field("name", WitType.string())).name())
			.isEqualTo("plugin-info");
		assertThat(WitType.tuple(WitType.u8()).name()).isEqualTo("tuple");
	}

	@Test
	void namesReadLikeWit() {
		assertThat(WitType.string()).hasToString("string");
		assertThat(GrainTypes.HEADERS).hasToString("list<tuple>");
		assertThat(WitType.list(GrainTypes.TOOL_DEF)).hasToString("list<tool-def>");
		assertThat(GrainTypes.OPTION_STRING).hasToString("option");
		assertThat(GrainTypes.HOST_ACTION).hasToString("host-action");
	}

}
