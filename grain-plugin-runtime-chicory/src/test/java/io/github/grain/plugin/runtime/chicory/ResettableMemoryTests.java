package io.github.grain.plugin.runtime.chicory;

import java.util.Arrays;
import java.util.Random;

import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A {@link ResettableMemory} reads and writes like a plain little-endian byte array, and
 * {@link ResettableMemory#restore()} brings back every byte of the image, whatever was
 * written, filled, copied or grown, across page and block boundaries and out of bounds.
 */
@Tag("runtime")
class ResettableMemoryTests {

	private static final int PAGE = Memory.PAGE_SIZE;

	/** Two pages: the first with data, the second zero (stored as {@code null}). */
	private static MemoryImage image() {
		byte[] first = new byte[PAGE];
		new Random(7).nextBytes(first);
		return new MemoryImage("test", new byte[][] { first, null }, 2, 8);
	}

	private static byte[] contents(ResettableMemory memory) {
		return memory.readBytes(0, memory.pages() * PAGE);
	}

	@ParameterizedTest
	@ValueSource(longs = { 1, 2, 3, 4, 5, 6, 7, 8 })
	void randomWritesOfEveryKindReadBackLikeAByteArrayAndRestoreToTheImage(long seed) {
		MemoryImage image = image();
		ResettableMemory memory = new ResettableMemory(image);
		byte[] model = contents(memory);
		Random random = new Random(seed);
		for (int op = 0; op < 2_000; op++) {
			if (random.nextInt(200) == 0 && memory.pages() < 8) {
				assertThat(memory.grow(1)).isEqualTo(model.length / PAGE);
				model = Arrays.copyOf(model, model.length + PAGE);
			}
			int size = model.length;
			// addresses near page and block edges half of the time
			int address = random.nextBoolean() ? random.nextInt(size)
					: Math.floorMod((random.nextInt(size / 4096) * 4096) + random.nextInt(16) - 8, size);
			int kind = random.nextInt(8);
			int width = switch (kind) {
				case 0 -> 1;
				case 1 -> 2;
				case 2, 5 -> 4;
				case 3, 6 -> 8;
				default -> 1 + random.nextInt(300);
			};
			if (address + width > size) {
				int at = address;
				int wide = width;
				assertThatExceptionOfType(WasmRuntimeException.class).isThrownBy(() -> write(memory, kind, at, wide,
						random)).withMessageContaining("out of bounds memory access");
				continue;
			}
			long value = (kind == 7) ? random.nextInt(size - width + 1) : random.nextLong();
			switch (kind) {
				case 0 -> memory.writeByte(address, (byte) value);
				case 1 -> memory.writeShort(address, (short) value);
				case 2 -> memory.writeI32(address, (int) value);
				case 3 -> memory.writeLong(address, value);
				case 5 -> memory.writeF32(address, Float.intBitsToFloat((int) value));
				case 6 -> memory.writeF64(address, Double.longBitsToDouble(value));
				case 4 -> memory.fill((byte) value, address, address + width);
				default -> memory.copy(address, (int) value, width);
			}
			apply(model, kind, address, width, value);
			assertThat(memory.readLong(address & ~7 & (size - 8))).isEqualTo(littleEndian(model,
					address & ~7 & (size - 8)));
		}
		assertThat(contents(memory)).isEqualTo(model);
		memory.restore();
		assertThat(memory.pages()).isEqualTo(2);
		assertThat(memory.holdsImage()).isTrue();
	}

	private static void write(ResettableMemory memory, int kind, int address, int width, Random random) {
		switch (kind) {
			case 0 -> memory.writeByte(address, (byte) 1);
			case 1 -> memory.writeShort(address, (short) 1);
			case 2, 5 -> memory.writeI32(address, 1);
			case 3, 6 -> memory.writeLong(address, 1);
			case 4 -> memory.fill((byte) 1, address, address + width);
			default -> memory.copy(address, 0, width);
		}
	}

	/** The model: what the write did to a plain byte array ({@code value} is the source address of a copy). */
	private static void apply(byte[] model, int kind, int address, int width, long value) {
		switch (kind) {
			case 4 -> Arrays.fill(model, address, address + width, (byte) value);
			case 7 -> System.arraycopy(model, (int) value, model, address, width);
			default -> {
				for (int i = 0; i < width; i++) {
					model[address + i] = (byte) (value >>> (8 * i));
				}
			}
		}
	}

	private static long littleEndian(byte[] bytes, int at) {
		long value = 0;
		for (int i = 7; i >= 0; i--) {
			value = (value << 8) | (bytes[at + i] & 0xFF);
		}
		return value;
	}

	@Test
	void aCopyIsByValueEvenWhenTheRangesOverlapAcrossPages() {
		ResettableMemory memory = new ResettableMemory(image());
		byte[] before = memory.readBytes(PAGE - 100, 300);
		memory.copy(PAGE - 50, PAGE - 100, 300);
		assertThat(memory.readBytes(PAGE - 50, 300)).isEqualTo(before);
	}

	@Test
	void scalarsAcrossAPageBoundaryAreLittleEndian() {
		ResettableMemory memory = new ResettableMemory(image());
		memory.writeLong(PAGE - 3, 0x0807060504030201L);
		assertThat(memory.read(PAGE - 3)).isEqualTo((byte) 1);
		assertThat(memory.read(PAGE + 4)).isEqualTo((byte) 8);
		assertThat(memory.readInt(PAGE - 2)).isEqualTo(0x05040302);
		assertThat(memory.readShort(PAGE - 1)).isEqualTo((short) 0x0403);
		assertThat(memory.readU16(PAGE - 1)).isEqualTo(0x0403);
		memory.restore();
		assertThat(memory.holdsImage()).isTrue();
	}

	@Test
	void addressesPastTheEndOrAbove2GiBAreOutOfBoundsAndWriteNothing() {
		ResettableMemory memory = new ResettableMemory(image());
		assertThatExceptionOfType(WasmRuntimeException.class).isThrownBy(() -> memory.writeI32(2 * PAGE - 3, 1))
			.withMessageContaining("out of bounds memory access");
		assertThatExceptionOfType(WasmRuntimeException.class).isThrownBy(() -> memory.writeLong(-4, 1));
		assertThatExceptionOfType(WasmRuntimeException.class).isThrownBy(() -> memory.readInt(-1));
		assertThatExceptionOfType(WasmRuntimeException.class).isThrownBy(() -> memory.read(2 * PAGE));
		assertThatExceptionOfType(WasmRuntimeException.class).isThrownBy(() -> memory.fill((byte) 1, PAGE, 3 * PAGE));
		assertThatExceptionOfType(WasmRuntimeException.class).isThrownBy(() -> memory.copy(0, PAGE, 2 * PAGE));
		assertThatExceptionOfType(WasmRuntimeException.class)
			.isThrownBy(() -> memory.write(2 * PAGE - 1, new byte[2], 0, 2));
		assertThat(memory.holdsImage()).isTrue();
	}

	@Test
	void growingStopsAtTheMaximumAndRestoreDropsTheGrownPages() {
		ResettableMemory memory = new ResettableMemory(image());
		assertThat(memory.grow(6)).isEqualTo(2);
		assertThat(memory.grow(1)).isEqualTo(-1);
		assertThat(memory.grow(-1)).isEqualTo(-1);
		memory.writeI32(7 * PAGE + 8, 42);
		memory.restore();
		assertThat(memory.pages()).isEqualTo(2);
		assertThat(memory.grow(6)).isEqualTo(2);
		assertThat(memory.readInt(7 * PAGE + 8)).as("a page grown again starts zeroed").isZero();
	}

	@Test
	void droppedDataSegmentsComeBackAfterARestore() {
		ResettableMemory memory = new ResettableMemory(image());
		com.dylibso.chicory.wasm.types.DataSegment[] segments = {
				new com.dylibso.chicory.wasm.types.PassiveDataSegment(new byte[] { 1, 2, 3 }) };
		memory.initialize(null, segments, 0);
		memory.initPassiveSegment(0, 10, 0, 3);
		memory.drop(0);
		assertThatExceptionOfType(WasmRuntimeException.class).isThrownBy(() -> memory.initPassiveSegment(0, 10, 0, 3))
			.withMessageContaining("out of bounds memory access");
		memory.initPassiveSegment(0, 10, 0, 0);
		memory.restore();
		memory.initialize(null, segments, 0);
		memory.initPassiveSegment(0, 20, 1, 2);
		assertThat(memory.readBytes(20, 2)).containsExactly(2, 3);
	}

}
