package io.github.grain.plugin.engine.abi;

import static io.github.grain.plugin.engine.abi.MemoryImage.hex;
import static io.github.grain.plugin.engine.abi.MemoryImage.image;
import static io.github.grain.plugin.engine.abi.MemoryImage.liftOnly;
import static io.github.grain.plugin.engine.abi.VariantValue.err;
import static io.github.grain.plugin.engine.abi.VariantValue.none;
import static io.github.grain.plugin.engine.abi.VariantValue.ok;
import static io.github.grain.plugin.engine.abi.VariantValue.some;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.CharacterCodingException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import io.github.grain.plugin.engine.AbiViolationException;
import io.github.grain.plugin.engine.wit.GrainTypes;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code load}, {@code store}, {@code lift_flat} and {@code lower_flat} on byte arrays:
 * hand-written little-endian memory to Java values, round trips, and the exact error
 * for every way a guest can break the ABI.
 */
class CanonicalAbiTests {

	private static final WitType TUPLE = ((WitType.ListType) GrainTypes.HEADERS).element();

	private static final WitType STRINGS = WitType.list(WitType.string());

	private static VariantValue action(int caseIndex, Object payload) {
		return new VariantValue(caseIndex, payload);
	}

	private static VariantValue label(int caseIndex) {
		return new VariantValue(caseIndex, null);
	}

	// ---- load ------------------------------------------------------------------

	static Stream<Arguments> loads() {
		return Stream.of(
				arguments("bool 0", WitType.bool(), image(0, "00"), 0, false),
				arguments("bool 1", WitType.bool(), image(0, "01"), 0, true),
				arguments("bool 2 is true (any nonzero byte)", WitType.bool(), image(0, "02"), 0, true),
				arguments("bool 0xff", WitType.bool(), image(0, "ff"), 0, true),
				arguments("u8 max", WitType.u8(), image(3, "ff"), 3, 255),
				arguments("u16 little-endian", WitType.u16(), image(0, "efbe"), 0, 0xBEEF),
				arguments("u16 at an aligned offset", WitType.u16(), image(2, "3412"), 2, 0x1234),
				arguments("u32 little-endian", WitType.u32(), image(0, "78563412"), 0, 0x12345678L),
				arguments("u32 max is unsigned", WitType.u32(), image(4, "ffffffff"), 4, 0xFFFF_FFFFL),
				arguments("string", WitType.string(), image(0, "40000000 03000000", 64, "616263"), 0, "abc"),
				arguments("empty string", WitType.string(), image(0, "40000000 00000000"), 0, ""),
				arguments("empty string at the end of memory", WitType.string(), image(0, "00010000 00000000"), 0,
						""),
				arguments("multi-byte UTF-8", WitType.string(), image(0, "40000000 09000000", 64, "c3a9 e282ac f09f9880"),
						0, "é€😀"),
				arguments("NUL and noncharacters are valid UTF-8", WitType.string(),
						image(0, "40000000 07000000", 64, "00 efbfbf efbfbe"), 0, "\0\uFFFF\uFFFE"),
				arguments("a leading byte-order mark is kept", WitType.string(),
						image(0, "40000000 04000000", 64, "efbbbf 61"), 0, "\uFEFFa"),
				arguments("string at an odd address", WitType.string(), image(0, "41000000 01000000", 65, "7a"), 0,
						"z"),
				arguments("list<string>", STRINGS,
						image(0, "40000000 02000000", 64, "80000000 01000000 81000000 02000000", 128, "616263"), 0,
						List.of("a", "bc")),
				arguments("empty list", STRINGS, image(0, "40000000 00000000"), 0, List.of()),
				arguments("list<u8> at an odd address", WitType.list(WitType.u8()),
						image(0, "41000000 03000000", 65, "0102ff"), 0, List.of(1, 2, 255)),
				arguments("list<u16>", WitType.list(WitType.u16()), image(0, "40000000 02000000", 64, "0100 ffff"),
						0, List.of(1, 65535)),
				arguments("option none ignores the payload bytes", GrainTypes.OPTION_STRING,
						image(0, "00 ffffff ffffffff ffffffff"), 0, none()),
				arguments("option some", GrainTypes.OPTION_STRING, image(0, "01 000000 40000000 02000000", 64, "6869"),
						0, some("hi")),
				arguments("tuple<string,string>", TUPLE, image(0, "40000000 01000000 41000000 01000000", 64, "6b76"),
						0, List.of("k", "v")),
				arguments("http-response", GrainTypes.HTTP_RESPONSE,
						image(0, "c800 0000 40000000 01000000 60000000 02000000", 64,
								"80000000 01000000 81000000 01000000", 96, "6f6b", 128, "6b76"),
						0, List.of(200, List.of(List.of("k", "v")), "ok")),
				arguments("result<http-response,string> ok", GrainTypes.HTTP_RESULT,
						image(0, "00 000000 9401 0000 00000000 00000000 40000000 00000000"), 0,
						ok(List.of(404, List.of(), ""))),
				arguments("result<http-response,string> err", GrainTypes.HTTP_RESULT,
						image(0, "01 000000 40000000 04000000", 64, "626f6f6d"), 0, err("boom")),
				arguments("tool-def", GrainTypes.TOOL_DEF,
						image(0, "40000000 01000000 41000000 01000000 42000000 01000000 43000000 02000000", 64,
								"6e 6c 64 7b7d"),
						0, List.of("n", "l", "d", "{}")),
				arguments("tool-result", GrainTypes.TOOL_RESULT, image(0, "40000000 02000000 01", 64, "7b7d"), 0,
						List.of("{}", true)),
				arguments("plugin-info", GrainTypes.PLUGIN_INFO, image(0, "40000000 01000000 41000000 01000000", 64,
						"7031"), 0, List.of("p", "1")),
				arguments("result<plugin-info,string> ok", GrainTypes.INIT_RESULT,
						image(0, "00000000 40000000 01000000 41000000 01000000", 64, "7031"), 0,
						ok(List.of("p", "1"))),
				arguments("result<plugin-info,string> err", GrainTypes.INIT_RESULT,
						image(0, "01000000 40000000 03000000", 64, "626164"), 0, err("bad")),
				arguments("role-def with thinking level", GrainTypes.ROLE_DEF,
						image(0, "40000000 01000000 41000000 01000000 42000000 01000000 60000000 01000000"
								+ " 01000000 43000000 04000000", 64, "6e 6d 70 68696768", 96, "80000000 01000000",
								128, "74"),
						0, List.of("n", "m", "p", List.of("t"), some("high"))),
				arguments("role-def without thinking level", GrainTypes.ROLE_DEF,
						image(0, "40000000 01000000 41000000 01000000 42000000 01000000 00000000 00000000"
								+ " 00000000", 64, "6e 6d 70"),
						0, List.of("n", "m", "p", List.of(), none())),
				arguments("hook-def", GrainTypes.HOOK_DEF, image(0, "02000000 40000000 01000000", 64, "68"), 0,
						List.of(label(2), "h")),
				arguments("ui-header", GrainTypes.UI_HEADER,
						image(0, "01000000 40000000 01000000 00000000 ffffffff ffffffff", 64, "61"), 0,
						List.of(some("a"), none())),
				arguments("host-action switch-role", GrainTypes.HOST_ACTION,
						image(0, "00000000 40000000 01000000", 64, "72"), 0, action(0, "r")),
				arguments("host-action switch-model", GrainTypes.HOST_ACTION,
						image(0, "01000000 40000000 01000000", 64, "6d"), 0, action(1, "m")),
				arguments("host-action set-system-prompt", GrainTypes.HOST_ACTION,
						image(0, "02000000 40000000 01000000", 64, "73"), 0, action(2, "s")),
				arguments("host-action set-active-tools", GrainTypes.HOST_ACTION,
						image(0, "03000000 60000000 02000000", 64, "6162", 96, "40000000 01000000 41000000 01000000"),
						0, action(3, List.of("a", "b"))),
				arguments("host-action inject-user-message", GrainTypes.HOST_ACTION,
						image(0, "04000000 40000000 01000000", 64, "75"), 0, action(4, "u")),
				arguments("host-action stop-after-turn", GrainTypes.HOST_ACTION, image(0, "05000000 01"), 0,
						action(5, true)),
				arguments("host-action stop-after-turn false", GrainTypes.HOST_ACTION, image(0, "05000000 00"), 0,
						action(5, false)),
				arguments("host-action emit-custom", GrainTypes.HOST_ACTION,
						image(0, "06000000 40000000 02000000", 64, "7b7d"), 0, action(6, "{}")),
				arguments("host-action set-ui-header", GrainTypes.HOST_ACTION,
						image(0, "07000000 01000000 40000000 01000000 01000000 41000000 01000000", 64, "706d"), 0,
						action(7, List.of(some("p"), some("m")))),
				arguments("host-action set-ui-status", GrainTypes.HOST_ACTION,
						image(0, "08000000 40000000 02000000", 64, "6f6b"), 0, action(8, "ok")),
				arguments("result<list<host-action>,string> ok", GrainTypes.HOOK_RESULT,
						image(0, "00000000 40000000 02000000", 64, "05000000 01", 92, "08000000 80000000 02000000",
								128, "6f6b"),
						0, ok(List.of(action(5, true), action(8, "ok")))),
				arguments("result<list<host-action>,string> err", GrainTypes.HOOK_RESULT,
						image(0, "01000000 40000000 02000000", 64, "6e6f"), 0, err("no")),
				arguments("log-level error", GrainTypes.LOG_LEVEL, image(7, "03"), 7, label(3)),
				arguments("hook-point should-stop-after-turn", GrainTypes.HOOK_POINT, image(0, "03"), 0, label(3)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("loads")
	void loadsHandWrittenLittleEndianBytes(String name, WitType type, byte[] memory, int pointer, Object expected) {
		assertThat(CanonicalAbi.load(liftOnly(memory), type, pointer)).isEqualTo(expected);
	}

	@Test
	void loadsIntegersAsTheDocumentedJavaTypes() {
		AbiContext cx = liftOnly(image(0, "ff ff ffff"));
		assertThat(CanonicalAbi.load(cx, WitType.u8(), 0)).isInstanceOf(Integer.class);
		assertThat(CanonicalAbi.load(cx, WitType.u16(), 2)).isInstanceOf(Integer.class);
		assertThat(CanonicalAbi.load(cx, WitType.u32(), 0)).isInstanceOf(Long.class);
		assertThat(CanonicalAbi.load(cx, WitType.bool(), 0)).isInstanceOf(Boolean.class);
	}

	// ---- store then load -------------------------------------------------------

	static Stream<Arguments> roundTrips() {
		return Stream.of(
				arguments("bool", WitType.bool(), true),
				arguments("u8", WitType.u8(), 255),
				arguments("u16", WitType.u16(), 65535),
				arguments("u32", WitType.u32(), 0xFFFF_FFFFL),
				arguments("string", WitType.string(), "hello, wörld 😀"),
				arguments("empty string", WitType.string(), ""),
				arguments("list<string>", STRINGS, List.of("a", "", "ccc")),
				arguments("empty list", STRINGS, List.of()),
				arguments("list<tuple<string,string>>", GrainTypes.HEADERS,
						List.of(List.of("content-type", "application/json"), List.of("x-empty", ""))),
				arguments("option none", GrainTypes.OPTION_STRING, none()),
				arguments("option some", GrainTypes.OPTION_STRING, some("x")),
				arguments("http-response", GrainTypes.HTTP_RESPONSE,
						List.of(503, List.of(List.of("retry-after", "1")), "busy")),
				arguments("result ok http-response", GrainTypes.HTTP_RESULT, ok(List.of(200, List.of(), "{}"))),
				arguments("result err", GrainTypes.HTTP_RESULT, err("http capability not granted")),
				arguments("tool-def", GrainTypes.TOOL_DEF, List.of("echo", "Echo", "Echoes", "{\"type\":\"object\"}")),
				arguments("tool-result", GrainTypes.TOOL_RESULT, List.of("{\"ok\":1}", false)),
				arguments("plugin-info result", GrainTypes.INIT_RESULT, ok(List.of("demo", "1.0.0"))),
				arguments("role-def", GrainTypes.ROLE_DEF,
						List.of("planner", "gpt", "You plan.", List.of("read", "write"), some("medium"))),
				arguments("role-def without thinking level", GrainTypes.ROLE_DEF,
						List.of("r", "m", "", List.of(), none())),
				arguments("list<hook-def>", WitType.list(GrainTypes.HOOK_DEF),
						List.of(List.of(label(0), "a"), List.of(label(3), "d"))),
				arguments("ui-header", GrainTypes.UI_HEADER, List.of(none(), some("m"))),
				arguments("host-action switch-role", GrainTypes.HOST_ACTION, action(0, "reviewer")),
				arguments("host-action switch-model", GrainTypes.HOST_ACTION, action(1, "model-x")),
				arguments("host-action set-system-prompt", GrainTypes.HOST_ACTION, action(2, "Be brief.")),
				arguments("host-action set-active-tools", GrainTypes.HOST_ACTION, action(3, List.of("a", "b", "c"))),
				arguments("host-action inject-user-message", GrainTypes.HOST_ACTION, action(4, "continue")),
				arguments("host-action stop-after-turn", GrainTypes.HOST_ACTION, action(5, true)),
				arguments("host-action emit-custom", GrainTypes.HOST_ACTION, action(6, "{\"k\":[1,2]}")),
				arguments("host-action set-ui-header", GrainTypes.HOST_ACTION, action(7, List.of(some("p"), none()))),
				arguments("host-action set-ui-status", GrainTypes.HOST_ACTION, action(8, "thinking")),
				arguments("hook result with every action", GrainTypes.HOOK_RESULT,
						ok(List.of(action(0, "r"), action(1, "m"), action(2, "p"), action(3, List.of("t")),
								action(4, "u"), action(5, false), action(6, "{}"),
								action(7, List.of(some("p"), some("m"))), action(8, "s")))),
				arguments("hook result err", GrainTypes.HOOK_RESULT, err("failed")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("roundTrips")
	void storeThenLoadRoundTrips(String name, WitType type, Object value) {
		byte[] bytes = new byte[4096];
		AbiContext cx = new AbiContext(GuestMemory.of(bytes), new BumpRealloc(1024), 1 << 20);
		CanonicalAbi.store(cx, type, value, 64);
		assertThat(CanonicalAbi.load(cx, type, 64)).isEqualTo(value);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("roundTrips")
	void lowerFlatThenLiftFlatRoundTrips(String name, WitType type, Object value) {
		byte[] bytes = new byte[4096];
		AbiContext cx = new AbiContext(GuestMemory.of(bytes), new BumpRealloc(1024), 1 << 20);
		FlatValues.Builder out = new FlatValues.Builder();
		CanonicalAbi.lowerFlat(cx, type, value, out);
		// how many values each type flattens to is pinned by WitTypeLayoutTests and the exact values below
		FlatValues in = new FlatValues(out.toArray());
		assertThat(CanonicalAbi.liftFlat(cx, type, in)).isEqualTo(value);
		assertThat(in.position()).as("lift consumes exactly what lower produced").isEqualTo(out.size());
	}

	@Test
	void storeWritesTheContractLayout() {
		byte[] bytes = new byte[256];
		BumpRealloc realloc = new BumpRealloc(64);
		AbiContext cx = new AbiContext(GuestMemory.of(bytes), realloc, 1024);
		CanonicalAbi.store(cx, GrainTypes.TOOL_RESULT, List.of("{}", true), 0);
		assertThat(Arrays.copyOfRange(bytes, 0, 12)).isEqualTo(hex("40000000 02000000 01 000000"));
		assertThat(Arrays.copyOfRange(bytes, 64, 66)).isEqualTo(hex("7b7d"));
	}

	@Test
	void storeWritesHttpResultWithStatusAndHeadersAtTheirOffsets() {
		byte[] bytes = new byte[256];
		AbiContext cx = new AbiContext(GuestMemory.of(bytes), new BumpRealloc(64), 1024);
		CanonicalAbi.store(cx, GrainTypes.HTTP_RESULT, ok(List.of(0xABCD, List.of(List.of("k", "v")), "b")), 0);
		// disc @0, status @4, headers (ptr 64, count 1) @8, body (ptr 82, len 1) @16
		assertThat(Arrays.copyOfRange(bytes, 0, 24))
			.isEqualTo(hex("00000000 cdab0000 40000000 01000000 52000000 01000000"));
		// the tuple array: ("k" @80, "v" @81)
		assertThat(Arrays.copyOfRange(bytes, 64, 83))
			.isEqualTo(hex("50000000 01000000 51000000 01000000 6b 76 62"));
	}

	@Test
	void storeWritesHostActionDiscriminantAndPayloadAtOffsetFour() {
		byte[] bytes = new byte[256];
		AbiContext cx = new AbiContext(GuestMemory.of(bytes), new BumpRealloc(128), 1024);
		CanonicalAbi.store(cx, GrainTypes.HOST_ACTION, action(5, true), 0);
		CanonicalAbi.store(cx, GrainTypes.HOST_ACTION, action(8, "s"), 28);
		assertThat(Arrays.copyOfRange(bytes, 0, 5)).isEqualTo(hex("05000000 01"));
		assertThat(Arrays.copyOfRange(bytes, 28, 40)).isEqualTo(hex("08000000 80000000 01000000"));
	}

	@Test
	void storeAllocatesStringsAndHeaderListsAsTheContractSays() {
		BumpRealloc realloc = new BumpRealloc(64);
		AbiContext cx = new AbiContext(GuestMemory.of(new byte[512]), realloc, 1024);
		CanonicalAbi.store(cx, GrainTypes.HEADERS, List.of(List.of("a", "bc"), List.of("", "d")), 0);
		assertThat(realloc.calls()).containsExactly(List.of(0L, 0L, 4L, 32L), List.of(0L, 0L, 1L, 1L),
				List.of(0L, 0L, 1L, 2L), List.of(0L, 0L, 1L, 0L), List.of(0L, 0L, 1L, 1L));
	}

	@Test
	void emptyStringIsStillAllocated() {
		BumpRealloc realloc = new BumpRealloc(64);
		AbiContext cx = new AbiContext(GuestMemory.of(new byte[128]), realloc, 1024);
		assertThat(CanonicalAbi.storeString(cx, "")).containsExactly(64, 0);
		assertThat(realloc.calls()).containsExactly(List.of(0L, 0L, 1L, 0L));
	}

	static Stream<Arguments> exactFlatValues() {
		return Stream.of(
				arguments("option none pads the payload", GrainTypes.OPTION_STRING, none(), new long[] { 0, 0, 0 }),
				arguments("option some", GrainTypes.OPTION_STRING, some("ab"), new long[] { 1, 64, 2 }),
				arguments("string", WitType.string(), "abc", new long[] { 64, 3 }),
				arguments("log-level warn", GrainTypes.LOG_LEVEL, label(2), new long[] { 2 }),
				arguments("bool", WitType.bool(), true, new long[] { 1 }),
				arguments("u32 max as i32", WitType.u32(), 0xFFFF_FFFFL, new long[] { -1 }),
				arguments("host-action stop-after-turn", GrainTypes.HOST_ACTION, action(5, true),
						new long[] { 5, 1, 0, 0, 0, 0, 0 }),
				arguments("host-action set-ui-header", GrainTypes.HOST_ACTION, action(7, List.of(some("p"), none())),
						new long[] { 7, 1, 64, 1, 0, 0, 0 }),
				arguments("http result err", GrainTypes.HTTP_RESULT, err("x"), new long[] { 1, 64, 1, 0, 0, 0 }),
				arguments("hook-def", GrainTypes.HOOK_DEF, List.of(label(1), "h"), new long[] { 1, 64, 1 }));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("exactFlatValues")
	void lowerFlatProducesTheSpecFlattening(String name, WitType type, Object value, long[] expected) {
		AbiContext cx = new AbiContext(GuestMemory.of(new byte[256]), new BumpRealloc(64), 1024);
		FlatValues.Builder out = new FlatValues.Builder();
		CanonicalAbi.lowerFlat(cx, type, value, out);
		assertThat(out.toArray()).containsExactly(expected);
	}

	@Test
	void liftFlatSkipsTheUnusedPayloadSlotsOfAVariant() {
		WitType record = WitType.tuple(GrainTypes.OPTION_STRING, WitType.u8(), GrainTypes.HOST_ACTION, WitType.u8());
		FlatValues values = new FlatValues(0, 99, 99, 7, 5, 1, 99, 99, 99, 99, 99, 8);
		Object lifted = CanonicalAbi.liftFlat(liftOnly(new byte[16]), record, values);
		assertThat(lifted).isEqualTo(List.of(none(), 7, action(5, true), 8));
	}

	@Test
	void liftFlatReadsStringsAndListsFromMemory() {
		AbiContext cx = liftOnly(image(64, "6869", 96, "40000000 01000000 41000000 01000000"));
		assertThat(CanonicalAbi.liftFlat(cx, WitType.string(), new FlatValues(64, 2))).isEqualTo("hi");
		assertThat(CanonicalAbi.liftFlat(cx, STRINGS, new FlatValues(96, 2))).isEqualTo(List.of("h", "i"));
	}

	@Test
	void liftFlatTreatsAnyNonzeroBoolAsTrue() {
		AbiContext cx = liftOnly(new byte[0]);
		assertThat(CanonicalAbi.liftFlat(cx, WitType.bool(), new FlatValues(2))).isEqualTo(true);
		assertThat(CanonicalAbi.liftFlat(cx, WitType.bool(), new FlatValues(-1))).isEqualTo(true);
		assertThat(CanonicalAbi.liftFlat(cx, WitType.bool(), new FlatValues(0))).isEqualTo(false);
	}

	@Test
	void liftFlatReadsIntegersUnsigned() {
		AbiContext cx = liftOnly(new byte[0]);
		assertThat(CanonicalAbi.liftFlat(cx, WitType.u8(), new FlatValues(255))).isEqualTo(255);
		assertThat(CanonicalAbi.liftFlat(cx, WitType.u16(), new FlatValues(65535))).isEqualTo(65535);
		assertThat(CanonicalAbi.liftFlat(cx, WitType.u32(), new FlatValues(0xFFFF_FFFFL))).isEqualTo(0xFFFF_FFFFL);
		assertThat(CanonicalAbi.liftFlat(cx, WitType.u32(), new FlatValues(-1))).isEqualTo(0xFFFF_FFFFL);
	}

	// ---- what the host hands the guest ------------------------------------------

	static Stream<Arguments> loneSurrogates() {
		return Stream.of(
				arguments("lone high surrogate", "a\uD800b", "61 efbfbd 62"),
				arguments("lone low surrogate", "\uDC00b", "efbfbd 62"),
				arguments("high surrogate as the last char", "a\uD800", "61 efbfbd"),
				arguments("high surrogate before another high one", "\uD800\uD83D\uDE00", "efbfbd f09f9880"),
				arguments("reversed pair", "\uDE00\uD83D", "efbfbd efbfbd"),
				arguments("pair kept beside a lone one", "\uD83D\uDE00\uDFFF", "f09f9880 efbfbd"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("loneSurrogates")
	void loneSurrogatesReachTheGuestAsReplacementCharacters(String name, String value, String utf8) {
		byte[] bytes = new byte[128];
		AbiContext cx = new AbiContext(GuestMemory.of(bytes), new BumpRealloc(64), 1024);
		long[] range = CanonicalAbi.storeString(cx, value);
		assertThat(range).containsExactly(64, hex(utf8).length);
		assertThat(Arrays.copyOfRange(bytes, 64, 64 + hex(utf8).length)).isEqualTo(hex(utf8));
	}

	@Test
	void storeRefusesAMisalignedPointerBeforeWriting() {
		byte[] bytes = new byte[64];
		AbiContext cx = new AbiContext(GuestMemory.of(bytes), new BumpRealloc(32), 1024);
		assertThatExceptionOfType(AbiViolationException.class)
			.isThrownBy(() -> CanonicalAbi.store(cx, WitType.u32(), 7L, 2))
			.withMessage("u32 at offset 2 is not aligned to 4 bytes");
		assertThat(bytes).containsOnly(0);
	}

	@Test
	void storeRefusesAValueReachingPastMemoryBeforeAllocatingOrWriting() {
		byte[] bytes = new byte[64];
		BumpRealloc realloc = new BumpRealloc(0);
		AbiContext cx = new AbiContext(GuestMemory.of(bytes), realloc, 1024);
		// its first field (a string) would fit; the whole record does not
		assertThatExceptionOfType(AbiViolationException.class)
			.isThrownBy(() -> CanonicalAbi.store(cx, GrainTypes.TOOL_RESULT, List.of("{}", true), 56))
			.withMessage("tool-result at offset 56 with length 12 is out of bounds (memory is 64 bytes)");
		assertThat(realloc.calls()).isEmpty();
		assertThat(bytes).containsOnly(0);
	}

	@Test
	void aCaseWithAPayloadTypeNeedsAPayloadValue() {
		AbiContext cx = new AbiContext(GuestMemory.of(new byte[64]), new BumpRealloc(32), 1024);
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> CanonicalAbi.store(cx, GrainTypes.OPTION_STRING, label(1), 0))
			.withMessage("case 1 needs a payload");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> CanonicalAbi.lowerFlat(cx, GrainTypes.HOST_ACTION, label(8), new FlatValues.Builder()))
			.withMessage("case 8 needs a payload");
	}

	@Test
	void fieldsViewsALiftedRecordAsItsList() {
		List<Object> record = List.of("n", "1");
		assertThat(CanonicalAbi.fields(record)).isSameAs(record);
	}

	// ---- guest violations ----------------------------------------------------

	private static Arguments violation(String name, ThrowingCallable call, String message) {
		return arguments(name, call, message);
	}

	private static Object load(byte[] memory, WitType type, long pointer) {
		return CanonicalAbi.load(liftOnly(memory), type, pointer);
	}

	private static Object liftFlat(WitType type, long... values) {
		return CanonicalAbi.liftFlat(liftOnly(new byte[256]), type, new FlatValues(values));
	}

	static Stream<Arguments> violations() {
		return Stream.of(
				violation("record past the end of memory", () -> load(new byte[256], GrainTypes.TOOL_DEF, 240),
						"tool-def at offset 240 with length 32 is out of bounds (memory is 256 bytes)"),
				violation("value pointer at the end of memory", () -> load(new byte[256], WitType.string(), 256),
						"string at offset 256 with length 8 is out of bounds (memory is 256 bytes)"),
				violation("value pointer past 32 bits", () -> load(new byte[256], WitType.u8(), 0x1_0000_0000L),
						"u8 at offset 4294967296 with length 1 is out of bounds (memory is 256 bytes)"),
				violation("string past the end of memory", () -> load(image(0, "fa000000 0a000000"), WitType.string(), 0),
						"string at offset 250 with length 10 is out of bounds (memory is 256 bytes)"),
				violation("string ptr+len overflows 32 bits",
						() -> load(image(0, "f0ffffff 20000000"), WitType.string(), 0),
						"string at offset 4294967280 with length 32 is out of bounds (memory is 256 bytes)"),
				violation("flat string ptr+len overflows 32 bits", () -> liftFlat(WitType.string(), 0xFFFF_FFF0L, 0x20),
						"string at offset 4294967280 with length 32 is out of bounds (memory is 256 bytes)"),
				violation("flat string of maximal pointer and length",
						() -> liftFlat(WitType.string(), 0xFFFF_FFFFL, 0xFFFF_FFFFL),
						"string at offset 4294967295 with length 4294967295 is out of bounds (memory is 256 bytes)"),
				violation("list ptr+len overflows 32 bits", () -> load(image(0, "f8ffffff 02000000"), STRINGS, 0),
						"list<string> of 2 elements at offset 4294967288 with length 16 is out of bounds"
								+ " (memory is 256 bytes)"),
				violation("string inside a list out of bounds",
						() -> load(image(0, "40000000 01000000", 64, "00010000 01000000"), STRINGS, 0),
						"string at offset 256 with length 1 is out of bounds (memory is 256 bytes)"),
				violation("misaligned record pointer", () -> load(new byte[256], GrainTypes.TOOL_DEF, 2),
						"tool-def at offset 2 is not aligned to 4 bytes"),
				violation("misaligned variant pointer", () -> load(new byte[256], GrainTypes.HOST_ACTION, 6),
						"host-action at offset 6 is not aligned to 4 bytes"),
				violation("misaligned u16", () -> load(new byte[256], WitType.u16(), 1),
						"u16 at offset 1 is not aligned to 2 bytes"),
				violation("misaligned u32", () -> load(new byte[256], WitType.u32(), 2),
						"u32 at offset 2 is not aligned to 4 bytes"),
				violation("misaligned list pointer",
						() -> load(image(0, "12000000 01000000"), WitType.list(GrainTypes.TOOL_DEF), 0),
						"list<tool-def> at offset 18 is not aligned to 4 bytes"),
				violation("misaligned empty list pointer", () -> load(image(0, "02000000 00000000"), STRINGS, 0),
						"list<string> at offset 2 is not aligned to 4 bytes"),
				violation("misaligned flat list pointer", () -> liftFlat(GrainTypes.HEADERS, 66, 1),
						"list<tuple> at offset 66 is not aligned to 4 bytes"),
				violation("option discriminant 2", () -> load(image(0, "02"), GrainTypes.OPTION_STRING, 0),
						"discriminant 2 out of range for option (2 cases)"),
				violation("result discriminant 2", () -> load(image(0, "02"), GrainTypes.HTTP_RESULT, 0),
						"discriminant 2 out of range for result (2 cases)"),
				violation("host-action discriminant 9", () -> load(image(0, "09"), GrainTypes.HOST_ACTION, 0),
						"discriminant 9 out of range for host-action (9 cases)"),
				violation("host-action discriminant 255", () -> load(image(0, "ff"), GrainTypes.HOST_ACTION, 0),
						"discriminant 255 out of range for host-action (9 cases)"),
				violation("hook-point discriminant 4", () -> load(image(0, "04"), GrainTypes.HOOK_POINT, 0),
						"discriminant 4 out of range for hook-point (4 cases)"),
				violation("hook-point inside a hook-def",
						() -> load(image(0, "04000000 40000000 00000000"), GrainTypes.HOOK_DEF, 0),
						"discriminant 4 out of range for hook-point (4 cases)"),
				violation("bad host-action deep in a hook result",
						() -> load(image(0, "00000000 40000000 02000000", 64, "05000000 01", 92, "09"),
								GrainTypes.HOOK_RESULT, 0),
						"discriminant 9 out of range for host-action (9 cases)"),
				violation("flat log-level 4", () -> liftFlat(GrainTypes.LOG_LEVEL, 4),
						"discriminant 4 out of range for log-level (4 cases)"),
				violation("flat option discriminant -1", () -> liftFlat(GrainTypes.OPTION_STRING, -1, 0, 0),
						"discriminant 4294967295 out of range for option (2 cases)"),
				violation("absurd list count of tool-defs",
						() -> load(image(0, "10000000 00000010"), WitType.list(GrainTypes.TOOL_DEF), 0),
						"list<tool-def> of 268435456 elements at offset 16 with length 8589934592 is out of bounds"
								+ " (memory is 256 bytes)"),
				violation("maximal list count", () -> liftFlat(STRINGS, 0, 0xFFFF_FFFFL),
						"list<string> of 4294967295 elements at offset 0 with length 34359738360 is out of bounds"
								+ " (memory is 256 bytes)"),
				violation("too few flat values", () -> liftFlat(WitType.string(), 1),
						"too few flat values: needed more than 1"));
	}

	@Test
	void flatUnsignedValuesKeepTheirLowBitsAsTheSpecSays() {
		assertThat(liftFlat(WitType.u8(), 256)).isEqualTo(0);
		assertThat(liftFlat(WitType.u8(), -1)).isEqualTo(255);
		assertThat(liftFlat(WitType.u16(), 65537)).isEqualTo(1);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("violations")
	void guestViolationIsAnAbiViolationNamingWhatAndWhere(String name, ThrowingCallable call, String message) {
		assertThatExceptionOfType(AbiViolationException.class).isThrownBy(call).withMessage(message);
	}

	static Stream<Arguments> invalidUtf8() {
		return Stream.of(
				arguments("overlong NUL (modified UTF-8)", "c080"),
				arguments("overlong two-byte '/'", "c1af"),
				arguments("overlong three-byte", "e08080"),
				arguments("overlong three-byte '/'", "e080af"),
				arguments("overlong four-byte", "f0808080"),
				arguments("overlong four-byte U+FFFF", "f08fbfbf"),
				arguments("lone high surrogate U+D800", "eda080"),
				arguments("lone low surrogate U+DFFF", "edbfbf"),
				arguments("surrogate pair in CESU-8", "eda0bdedb880"),
				arguments("above U+10FFFF", "f4908080"),
				arguments("lead byte 0xf5", "f5808080"),
				arguments("five-byte sequence", "f888808080"),
				arguments("byte 0xff", "ff"),
				arguments("byte 0xfe", "fe"),
				arguments("lone continuation byte", "80"),
				arguments("truncated three-byte sequence", "e282"),
				arguments("truncated at the end of the string", "61 c3"),
				arguments("ASCII after a lead byte", "c328"),
				arguments("valid text then garbage", "68656c6c6f ff"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidUtf8")
	void invalidUtf8IsRejected(String name, String bytes) {
		int length = hex(bytes).length;
		byte[] memory = image(0, String.format("40000000 %02x000000", length), 64, bytes);
		assertThatExceptionOfType(AbiViolationException.class)
			.isThrownBy(() -> load(memory, WitType.string(), 0))
			.withMessage("string at offset 64 with length " + length + " is not valid UTF-8")
			.withCauseInstanceOf(CharacterCodingException.class);
	}

	@Test
	void invalidUtf8InAFlatStringIsRejected() {
		AbiContext cx = liftOnly(image(8, "eda080"));
		assertThatExceptionOfType(AbiViolationException.class)
			.isThrownBy(() -> CanonicalAbi.liftFlat(cx, WitType.string(), new FlatValues(8, 3)))
			.withMessage("string at offset 8 with length 3 is not valid UTF-8");
	}

	// ---- budget ------------------------------------------------------------------

	@Test
	void stringLongerThanTheBudgetIsRejected() {
		AbiContext cx = new AbiContext(GuestMemory.of(new byte[256]), Realloc.NONE, 15);
		assertThatExceptionOfType(AbiViolationException.class)
			.isThrownBy(() -> CanonicalAbi.loadString(cx, 0, 16))
			.withMessage("string of 16 bytes exceeds the host's limit of 15 bytes for one result");
	}

	@Test
	void stringExactlyAsLongAsTheBudgetIsAccepted() {
		AbiContext cx = new AbiContext(GuestMemory.of(image(0, "61616161")), Realloc.NONE, 4);
		assertThat(CanonicalAbi.loadString(cx, 0, 4)).isEqualTo("aaaa");
	}

	@Test
	void budgetIsSharedByEverythingLiftedInOneContext() {
		AbiContext cx = new AbiContext(GuestMemory.of(image(0, "616263")), Realloc.NONE, 5);
		assertThat(CanonicalAbi.loadString(cx, 0, 3)).isEqualTo("abc");
		assertThatExceptionOfType(AbiViolationException.class)
			.isThrownBy(() -> CanonicalAbi.loadString(cx, 0, 3))
			.withMessage("string of 3 bytes exceeds the host's limit of 5 bytes for one result");
	}

	@Test
	void theBudgetIsBetweenZeroAndTheLargestArray() {
		GuestMemory memory = GuestMemory.of(image(0, "61"));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new AbiContext(memory, Realloc.NONE, -1))
			.withMessage("budget must be between 0 and 2147483647: -1");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new AbiContext(memory, Realloc.NONE, Integer.MAX_VALUE + 1L))
			.withMessage("budget must be between 0 and 2147483647: 2147483648");
		assertThat(CanonicalAbi.loadString(new AbiContext(memory, Realloc.NONE, 0), 0, 0)).isEmpty();
		assertThat(CanonicalAbi.loadString(new AbiContext(memory, Realloc.NONE, Integer.MAX_VALUE), 0, 1))
			.isEqualTo("a");
	}

	@Test
	void listElementsCountAgainstTheBudget() {
		AbiContext cx = new AbiContext(GuestMemory.of(image(0, "40000000 04000000")), Realloc.NONE, 100);
		assertThatExceptionOfType(AbiViolationException.class)
			.isThrownBy(() -> CanonicalAbi.load(cx, WitType.list(GrainTypes.TOOL_DEF), 0))
			.withMessage("list of 4 elements exceeds the host's limit of 100 bytes for one result");
	}

	@Test
	void boundsAreCheckedBeforeTheBudgetSoNothingHugeIsMaterialised() {
		AbiContext cx = new AbiContext(GuestMemory.of(new byte[64]), Realloc.NONE, 1);
		assertThatExceptionOfType(AbiViolationException.class)
			.isThrownBy(() -> CanonicalAbi.loadString(cx, 0, 1_000_000))
			.withMessageContaining("out of bounds");
	}

	// ---- realloc results -------------------------------------------------------

	static Stream<Arguments> badReallocResults() {
		return Stream.of(
				violation("misaligned pointer", () -> allocate(6, 4, 16, "list<tuple> of 1"),
						"realloc returned misaligned pointer 6 for list<tuple> of 1 (alignment 4)"),
				violation("pointer past the end of memory", () -> allocate(248, 4, 16, "x"),
						"realloc returned 248 for 16 bytes of x, outside memory of 256 bytes"),
				violation("pointer just past the end for zero bytes", () -> allocate(257, 1, 0, "x"),
						"realloc returned 257 for 0 bytes of x, outside memory of 256 bytes"),
				violation("pointer above 0xFFFFFFFF", () -> allocate(0x1_0000_0000L, 1, 1, "x"),
						"realloc returned 4294967296 for 1 bytes of x, outside memory of 256 bytes"),
				violation("negative pointer", () -> allocate(-1, 1, 1, "x"),
						"realloc returned -1 for 1 bytes of x, outside memory of 256 bytes"),
				violation("negative pointer that looks aligned", () -> allocate(-4, 4, 0, "x"),
						"realloc returned -4 for 0 bytes of x, outside memory of 256 bytes"),
				violation("string allocation out of bounds",
						() -> CanonicalAbi.storeString(context(255), "abc"),
						"realloc returned 255 for 3 bytes of string of 3 bytes, outside memory of 256 bytes"),
				violation("list allocation misaligned",
						() -> CanonicalAbi.storeList(context(2), GrainTypes.TOOL_DEF, List.of()),
						"realloc returned misaligned pointer 2 for list<tool-def> of 0 (alignment 4)"));
	}

	private static AbiContext context(long reallocResult) {
		return new AbiContext(GuestMemory.of(new byte[256]), (op, os, align, size) -> reallocResult, 1024);
	}

	private static long allocate(long reallocResult, int alignment, long size, String what) {
		return context(reallocResult).allocate(alignment, size, what);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badReallocResults")
	void badReallocResultIsAnAbiViolation(String name, ThrowingCallable call, String message) {
		assertThatExceptionOfType(AbiViolationException.class).isThrownBy(call).withMessage(message);
	}

	@Test
	void reallocMayReturnTheLastBytesOfMemory() {
		assertThat(allocate(240, 4, 16, "x")).isEqualTo(240);
	}

	@Test
	void reallocMayReturnTheEndOfMemoryForZeroBytes() {
		assertThat(allocate(256, 4, 0, "x")).isEqualTo(256);
	}

	@Test
	void memoryGrownByGuestCodeIsPickedUpWhenAnAccessNeedsIt() {
		int[] reloads = new int[1];
		long[] known = { 32 };
		byte[] bytes = new byte[64];
		GuestMemory memory = new GuestMemory.OverBuffer() {
			@Override
			public long size() {
				return known[0];
			}

			@Override
			protected void reloadExtent() {
				reloads[0]++;
				known[0] = bytes.length;
			}

			@Override
			protected java.nio.ByteBuffer buffer() {
				return java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
			}
		};
		// realloc (guest code) grew the memory to 64 bytes and returned a block past the old end
		assertThat(new AbiContext(memory, (oldPtr, oldSize, align, newSize) -> 40, 64).allocate(4, 8, "x"))
			.isEqualTo(40);
		assertThat(reloads[0]).isEqualTo(1);
		assertThatThrownBy(() -> memory.readU8(64)).isInstanceOf(AbiViolationException.class)
			.hasMessage("u8 at offset 64 with length 1 is out of bounds (memory is 64 bytes)");
	}

	@Test
	void liftingNeedsNoRealloc() {
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> liftOnly(new byte[16]).allocate(1, 1, "x"))
			.withMessage("no realloc in this context");
	}

}
