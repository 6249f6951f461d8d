package io.github.grain.plugin.engine.abi;

import static io.github.grain.plugin.engine.abi.MemoryImage.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;

import io.github.grain.plugin.engine.AbiViolationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The byte-array {@link GuestMemory}: little-endian access and overflow-safe bounds.
 */
class GuestMemoryTests {

	@Test
	void readsLittleEndianUnsignedValues() {
		GuestMemory memory = GuestMemory.of(hex("ff 00 feff 00000000 fdffffff"));
		assertThat(memory.readU8(0)).isEqualTo(255);
		assertThat(memory.readU16(2)).isEqualTo(0xFFFE);
		assertThat(memory.readU32(8)).isEqualTo(0xFFFF_FFFDL);
		assertThat(memory.read(2, 2, "x")).isEqualTo(hex("feff"));
	}

	@Test
	void writesLittleEndianValues() {
		byte[] bytes = new byte[24];
		GuestMemory memory = GuestMemory.of(bytes);
		memory.writeU8(0, 0x1FF);
		memory.writeU16(2, 0xBEEF);
		memory.writeU32(4, 0xFFFF_FFFEL);
		memory.writeU64(8, 0x0102030405060708L);
		memory.write(16, hex("aabb"), "x");
		assertThat(bytes).isEqualTo(hex("ff00efbe feffffff 0807060504030201 aabb 000000000000"));
	}

	static Stream<Arguments> ranges() {
		return Stream.of(
				arguments(0L, 16L, true),
				arguments(15L, 1L, true),
				arguments(16L, 0L, true),
				arguments(0L, 0L, true),
				arguments(16L, 1L, false),
				arguments(17L, 0L, false),
				arguments(15L, 2L, false),
				arguments(-1L, 1L, false),
				arguments(0L, -1L, false),
				arguments(0xFFFF_FFFFL, 1L, false),
				arguments(0xFFFF_FFF0L, 0x20L, false),
				arguments(1L, 0xFFFF_FFFFL, false),
				arguments(0x1_0000_0000L, 0L, false),
				arguments(0L, 0x1_0000_0000L, false),
				arguments(Long.MAX_VALUE, Long.MAX_VALUE, false));
	}

	@ParameterizedTest(name = "[{0}, +{1}) in 16 bytes: {2}")
	@MethodSource("ranges")
	void checksRangesWithoutOverflow(long address, long length, boolean inside) {
		GuestMemory memory = GuestMemory.of(new byte[16]);
		if (inside) {
			assertThatNoException().isThrownBy(() -> memory.checkRange(address, length, "thing"));
		}
		else {
			assertThatExceptionOfType(AbiViolationException.class)
				.isThrownBy(() -> memory.checkRange(address, length, "thing"))
				.withMessageStartingWith("thing at offset ")
				.withMessageEndingWith(" is out of bounds (memory is 16 bytes)");
		}
	}

	@Test
	void outOfBoundsMessageShowsTheAddressUnsigned() {
		GuestMemory memory = GuestMemory.of(new byte[16]);
		assertThatExceptionOfType(AbiViolationException.class)
			.isThrownBy(() -> memory.readU32(0xFFFF_FFFEL))
			.withMessage("u32 at offset 4294967294 with length 4 is out of bounds (memory is 16 bytes)");
	}

	static Stream<Arguments> accessesPastTheEnd() {
		GuestMemory memory = GuestMemory.of(new byte[8]);
		return Stream.of(
				arguments("readU8", (Runnable) () -> memory.readU8(8)),
				arguments("readU16", (Runnable) () -> memory.readU16(7)),
				arguments("readU32", (Runnable) () -> memory.readU32(5)),
				arguments("read", (Runnable) () -> memory.read(4, 5, "x")),
				arguments("writeU8", (Runnable) () -> memory.writeU8(8, 0)),
				arguments("writeU16", (Runnable) () -> memory.writeU16(7, 0)),
				arguments("writeU32", (Runnable) () -> memory.writeU32(5, 0)),
				arguments("writeU64", (Runnable) () -> memory.writeU64(1, 0)),
				arguments("write", (Runnable) () -> memory.write(7, new byte[2], "x")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("accessesPastTheEnd")
	void everyAccessIsBoundsChecked(String name, Runnable access) {
		assertThatExceptionOfType(AbiViolationException.class).isThrownBy(access::run)
			.withMessageContaining("is out of bounds (memory is 8 bytes)");
	}

	static Stream<Arguments> alignments() {
		return Stream.of(
				arguments(0L, 4, true),
				arguments(4L, 4, true),
				arguments(0xFFFF_FFFCL, 4, true),
				arguments(2L, 4, false),
				arguments(3L, 2, false),
				arguments(3L, 1, true),
				arguments(-4L, 4, true),
				arguments(-2L, 4, false));
	}

	@ParameterizedTest(name = "{0} aligned to {1}: {2}")
	@MethodSource("alignments")
	void checksAlignment(long address, int alignment, boolean aligned) {
		if (aligned) {
			assertThatNoException().isThrownBy(() -> GuestMemory.checkAligned(address, alignment, "v"));
		}
		else {
			assertThatExceptionOfType(AbiViolationException.class)
				.isThrownBy(() -> GuestMemory.checkAligned(address, alignment, "v"))
				.withMessage("v at offset " + address + " is not aligned to " + alignment + " bytes");
		}
	}

}
