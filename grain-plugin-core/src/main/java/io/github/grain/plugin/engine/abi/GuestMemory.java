package io.github.grain.plugin.engine.abi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.github.grain.plugin.engine.AbiViolationException;

/**
 * The one way the host touches a guest's linear memory: little-endian, every access
 * bounds-checked with overflow-safe arithmetic (addresses are unsigned 32-bit values
 * carried in {@code long}). A violation is an {@link AbiViolationException}.
 * Guest code (realloc included) can grow the memory at any time: implementations that
 * cache its extent re-read it in {@link #reloadExtent()} before refusing an access.
 */
public abstract class GuestMemory {

	/** The current size in bytes. */
	public abstract long size();

	/**
	 * Called before an access is refused as out of bounds: a view that caches the
	 * memory's extent re-reads it here.
	 */
	protected void reloadExtent() {
	}

	/** The size in bytes as it is now, re-read where the view caches it: for accounting once guest code ran. */
	public final long sizeNow() {
		reloadExtent();
		return size();
	}

	// Primitive accesses, little-endian; called only after a bounds check, so the address fits an int.

	protected abstract byte loadByte(int address);

	protected abstract short loadShort(int address);

	protected abstract int loadInt(int address);

	protected abstract byte[] loadBytes(int address, int length);

	protected abstract void storeByte(int address, byte value);

	protected abstract void storeShort(int address, short value);

	protected abstract void storeInt(int address, int value);

	protected abstract void storeLong(int address, long value);

	protected abstract void storeBytes(int address, byte[] bytes);

	/**
	 * Check that {@code [address, address + length)} lies inside memory.
	 * @param what names the value for the error message
	 */
	public final void checkRange(long address, long length, String what) {
		if (!fits(address, length)) {
			reloadExtent();
			if (!fits(address, length)) {
				throw new AbiViolationException(what + " at offset " + Long.toUnsignedString(address) + " with length "
						+ length + " is out of bounds (memory is " + size() + " bytes)");
			}
		}
	}

	// address + length could overflow; size - length cannot (a 32-bit memory is at most 4 GiB)
	private boolean fits(long address, long length) {
		long size = size();
		return address >= 0 && length >= 0 && length <= size && address <= size - length;
	}

	/** Check {@code address} is a multiple of {@code alignment}. */
	public static void checkAligned(long address, int alignment, String what) {
		if (address % alignment != 0) {
			throw new AbiViolationException(
					what + " at offset " + address + " is not aligned to " + alignment + " bytes");
		}
	}

	public final int readU8(long address) {
		checkRange(address, 1, "u8");
		return loadByte((int) address) & 0xFF;
	}

	public final int readU16(long address) {
		checkRange(address, 2, "u16");
		return loadShort((int) address) & 0xFFFF;
	}

	public final long readU32(long address) {
		checkRange(address, 4, "u32");
		return loadInt((int) address) & 0xFFFF_FFFFL;
	}

	public final long readU64(long address) {
		checkRange(address, 8, "u64");
		// two 32-bit loads keep the runtime adapters' surface unchanged; little-endian
		return ((long) loadInt((int) address + 4) << 32) | (loadInt((int) address) & 0xFFFF_FFFFL);
	}

	public final byte[] read(long address, int length, String what) {
		checkRange(address, length, what);
		return loadBytes((int) address, length);
	}

	public final void writeU8(long address, int value) {
		checkRange(address, 1, "u8");
		storeByte((int) address, (byte) value);
	}

	public final void writeU16(long address, int value) {
		checkRange(address, 2, "u16");
		storeShort((int) address, (short) value);
	}

	public final void writeU32(long address, long value) {
		checkRange(address, 4, "u32");
		storeInt((int) address, (int) value);
	}

	public final void writeU64(long address, long value) {
		checkRange(address, 8, "u64");
		storeLong((int) address, value);
	}

	public final void write(long address, byte[] bytes, String what) {
		checkRange(address, bytes.length, what);
		storeBytes((int) address, bytes);
	}

	/** A memory over a byte array, for tests and for tools that inspect layouts. */
	public static GuestMemory of(byte[] bytes) {
		ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
		return new OverBuffer() {
			@Override
			public long size() {
				return bytes.length;
			}

			@Override
			protected ByteBuffer buffer() {
				return buffer;
			}
		};
	}

	/** A view over a {@link ByteBuffer} (a runtime's direct buffer, or a heap array). */
	public abstract static class OverBuffer extends GuestMemory {

		/** The backing buffer, little-endian, indexed from 0; only called after a bounds check. */
		protected abstract ByteBuffer buffer();

		@Override
		protected byte loadByte(int address) {
			return buffer().get(address);
		}

		@Override
		protected short loadShort(int address) {
			return buffer().getShort(address);
		}

		@Override
		protected int loadInt(int address) {
			return buffer().getInt(address);
		}

		@Override
		protected byte[] loadBytes(int address, int length) {
			byte[] out = new byte[length];
			buffer().get(address, out);
			return out;
		}

		@Override
		protected void storeByte(int address, byte value) {
			buffer().put(address, value);
		}

		@Override
		protected void storeShort(int address, short value) {
			buffer().putShort(address, value);
		}

		@Override
		protected void storeInt(int address, int value) {
			buffer().putInt(address, value);
		}

		@Override
		protected void storeLong(int address, long value) {
			buffer().putLong(address, value);
		}

		@Override
		protected void storeBytes(int address, byte[] bytes) {
			buffer().put(address, bytes);
		}

	}

}
