package io.github.grain.plugin.engine.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.github.grain.plugin.engine.AbiViolationException;
import io.github.grain.plugin.engine.module.ValueType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What WASI 0.2 adds to the Canonical ABI model: u64, resource handles ({@code own} /
 * {@code borrow}), byte lists, and the spec's slot-by-slot join when a variant's cases
 * flatten to different core types.
 */
class HandlesAndWideValuesTests {

	private static final WitType STREAM_ERROR = WitType.variant("stream-error",
			WitType.caseOf("last-operation-failed", WitType.own("wasi:io/error#error")), WitType.caseOf("closed", null));

	static Stream<Arguments> wasiLayouts() {
		// size / alignment as wit-bindgen lays out the WASI 0.2 results (retptr areas)
		return Stream.of(
				Arguments.of("u64", WitType.u64(), 8, 8),
				Arguments.of("own<pollable>", WitType.own("wasi:io/poll#pollable"), 4, 4),
				Arguments.of("stream-error", STREAM_ERROR, 8, 4),
				Arguments.of("result<list<u8>,stream-error>", WitType.result(WitType.list(WitType.u8()), STREAM_ERROR), 12, 4),
				Arguments.of("result<u64,stream-error>", WitType.result(WitType.u64(), STREAM_ERROR), 16, 8),
				Arguments.of("result<_,stream-error>", WitType.result(null, STREAM_ERROR), 12, 4),
				Arguments.of("datetime", WitType.record("datetime", WitType.field("seconds", WitType.u64()),
						WitType.field("nanoseconds", WitType.u32())), 16, 8),
				Arguments.of("option<own<terminal-output>>", WitType.option(WitType.own("t")), 8, 4));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("wasiLayouts")
	void wasiTypesHaveTheCanonicalLayout(String name, WitType type, int size, int alignment) {
		assertThat(type.size()).isEqualTo(size);
		assertThat(type.alignment()).isEqualTo(alignment);
	}

	@Test
	void aVariantJoinsI32AndI64SlotsToI64() {
		WitType either = WitType.variant("either", WitType.caseOf("small", WitType.u32()),
				WitType.caseOf("big", WitType.u64()));
		assertThat(either.flat()).containsExactly(ValueType.I32, ValueType.I64);
		// ok(u64) | err(stream-error = disc, handle): slot 1 joins i64 with i32, slot 2 is the handle's alone
		assertThat(WitType.result(WitType.u64(), STREAM_ERROR).flat()).containsExactly(ValueType.I32, ValueType.I64,
				ValueType.I32);
		assertThat(WitType.option(WitType.u64()).flat()).containsExactly(ValueType.I32, ValueType.I64);
	}

	@Test
	void u64RoundTripsThroughMemoryAndFlatValuesWithAllItsBits() {
		byte[] bytes = new byte[64];
		AbiContext cx = new AbiContext(GuestMemory.of(bytes), new BumpRealloc(32), 1024);
		CanonicalAbi.store(cx, WitType.u64(), 0xFEDC_BA98_7654_3210L, 8);
		assertThat(java.util.Arrays.copyOfRange(bytes, 8, 16)).containsExactly(MemoryImage.hex("1032547698badcfe"));
		assertThat(CanonicalAbi.load(cx, WitType.u64(), 8)).isEqualTo(0xFEDC_BA98_7654_3210L);
		FlatValues.Builder out = new FlatValues.Builder();
		CanonicalAbi.lowerFlat(cx, WitType.u64(), -1L, out);
		assertThat(out.toArray()).containsExactly(-1L);
		assertThat(CanonicalAbi.liftFlat(cx, WitType.u64(), new FlatValues(-1L))).isEqualTo(-1L);
	}

	@Test
	void aByteListIsStoredFromBytes() {
		byte[] bytes = new byte[64];
		AbiContext cx = new AbiContext(GuestMemory.of(bytes), new BumpRealloc(32), 1024);
		long[] range = CanonicalAbi.storeList(cx, WitType.u8(), new byte[] { 1, 2, 3 });
		assertThat(range).containsExactly(32, 3);
		assertThat(CanonicalAbi.loadList(cx, WitType.u8(), 32, 3)).containsExactly(1, 2, 3);
	}

	@Test
	void aByteListIsChargedAgainstTheBudgetBeforeItIsCopied() {
		AbiContext cx = new AbiContext(GuestMemory.of(new byte[64]), new BumpRealloc(32), 16);
		assertThatThrownBy(() -> CanonicalAbi.loadList(cx, WitType.u8(), 0, 32)).isInstanceOf(AbiViolationException.class)
			.hasMessageContaining("list of 32 elements exceeds the host's limit of 16 bytes");
	}

	@Test
	void handlesGoThroughTheContextsTableOnEveryPath() {
		List<String> seen = new ArrayList<>();
		Handles table = new Handles() {
			@Override
			public Object lift(WitType.HandleType type, int handle) {
				seen.add("lift " + type + " " + handle);
				return "resource-" + handle;
			}

			@Override
			public int lower(WitType.HandleType type, Object resource) {
				seen.add("lower " + type + " " + resource);
				return 7;
			}
		};
		byte[] bytes = new byte[64];
		AbiContext cx = new AbiContext(GuestMemory.of(bytes), new BumpRealloc(32), 1024, table);
		WitType own = WitType.own("r");
		WitType borrow = WitType.borrow("r");
		CanonicalAbi.store(cx, WitType.option(own), VariantValue.some("x"), 0);
		assertThat(java.util.Arrays.copyOfRange(bytes, 0, 8)).containsExactly(MemoryImage.hex("0100000007000000"));
		assertThat(CanonicalAbi.load(cx, borrow, 4)).isEqualTo("resource-7");
		assertThat(CanonicalAbi.liftFlat(cx, own, new FlatValues(9))).isEqualTo("resource-9");
		FlatValues.Builder out = new FlatValues.Builder();
		CanonicalAbi.lowerFlat(cx, own, "y", out);
		assertThat(out.toArray()).containsExactly(7);
		assertThat(seen).containsExactly("lower own<r> x", "lift borrow<r> 7", "lift own<r> 9", "lower own<r> y");
	}

	@Test
	void withoutATableEveryHandleIsRefused() {
		AbiContext cx = new AbiContext(GuestMemory.of(new byte[8]), Realloc.NONE, 1024);
		assertThatThrownBy(() -> CanonicalAbi.liftFlat(cx, WitType.borrow("wasi:io/poll#pollable"), new FlatValues(3)))
			.isInstanceOf(AbiViolationException.class)
			.hasMessage("handle 3 passed as borrow<wasi:io/poll#pollable> where this host holds no resources");
	}

}
