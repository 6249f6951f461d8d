package io.github.grain.plugin.runtime.chicory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasm.types.DataSegment;
import org.jspecify.annotations.Nullable;

/**
 * A guest's linear memory that the next fresh instance can take over: paged like Chicory's
 * own {@code ByteArrayMemory} (64 KiB pages, so growing never copies), and it remembers
 * which 4 KiB blocks were written since it last held its module's initial image.
 * {@link #restore()} copies back only those blocks and drops the pages a call grew, so a
 * call that touched 20 KiB costs 20 KiB of copying instead of a new zeroed memory and
 * its data segments.
 * <p>
 * Every write path marks its blocks <em>before</em> writing, so a write cut short by a
 * trap, a deadline or a failed page allocation is still restored. The memory is
 * confined to one instance at a time (its {@linkplain #owner() owner}); it is never
 * shared, so the WebAssembly threads operations behave as on an unshared memory.
 */
final class ResettableMemory implements Memory {

	static final int PAGE_SHIFT = 16;

	static final int BLOCK_SHIFT = 12;

	static final int BLOCK_SIZE = 1 << BLOCK_SHIFT;

	private static final int BLOCKS_PER_PAGE = PAGE_SIZE / BLOCK_SIZE;

	private static final int PAGE_MASK = PAGE_SIZE - 1;

	private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class,
			ByteOrder.LITTLE_ENDIAN);

	private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

	private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
			ByteOrder.LITTLE_ENDIAN);

	private final MemoryImage image;

	private byte[][] pages;

	/** One flag per 4 KiB block: written since the last restore. */
	private byte[] dirty;

	private int pageCount;

	private DataSegment @Nullable [] segments;

	private boolean @Nullable [] dropped;

	private @Nullable ChicoryInstance owner;

	ResettableMemory(MemoryImage image) {
		this.image = image;
		int count = image.pageCount();
		this.pages = new byte[Math.max(count, 1)][];
		for (int page = 0; page < count; page++) {
			byte[] source = image.page(page);
			this.pages[page] = (source != null) ? source.clone() : new byte[PAGE_SIZE];
		}
		this.dirty = new byte[this.pages.length * BLOCKS_PER_PAGE];
		this.pageCount = count;
	}

	/** The instance this memory belongs to now; its host functions are that instance's. */
	ChicoryInstance owner() {
		ChicoryInstance current = this.owner;
		if (current == null) {
			throw new IllegalStateException("memory of plugin '" + this.image.plugin() + "' has no instance");
		}
		return current;
	}

	void owner(@Nullable ChicoryInstance owner) {
		this.owner = owner;
	}

	/**
	 * Back to the module's initial image: every block written since the last restore is
	 * copied from the image (or zeroed where the image is zero), pages grown are dropped,
	 * dropped data segments come back.
	 */
	void restore() {
		int imagePages = this.image.pageCount();
		byte[] flags = this.dirty;
		for (int page = 0; page < imagePages; page++) {
			int first = page * BLOCKS_PER_PAGE;
			if ((long) LONG.get(flags, first) == 0 && (long) LONG.get(flags, first + 8) == 0) {
				continue;
			}
			byte[] target = this.pages[page];
			byte[] source = this.image.page(page);
			for (int block = 0; block < BLOCKS_PER_PAGE; block++) {
				if (flags[first + block] != 0) {
					int offset = block << BLOCK_SHIFT;
					if (source != null) {
						System.arraycopy(source, offset, target, offset, BLOCK_SIZE);
					}
					else {
						Arrays.fill(target, offset, offset + BLOCK_SIZE, (byte) 0);
					}
					flags[first + block] = 0;
				}
			}
		}
		if (this.pageCount > imagePages) {
			Arrays.fill(this.pages, imagePages, this.pageCount, null);
			Arrays.fill(flags, imagePages * BLOCKS_PER_PAGE, this.pageCount * BLOCKS_PER_PAGE, (byte) 0);
		}
		this.pageCount = imagePages;
		this.dropped = null;
		this.segments = null;
		this.owner = null;
	}

	/** Whether every byte equals the image; for tests. */
	boolean holdsImage() {
		if (this.pageCount != this.image.pageCount()) {
			return false;
		}
		for (int page = 0; page < this.pageCount; page++) {
			byte[] source = this.image.page(page);
			if (!Arrays.equals(this.pages[page], (source != null) ? source : new byte[PAGE_SIZE])) {
				return false;
			}
		}
		return true;
	}

	private long byteSize() {
		return (long) this.pageCount << PAGE_SHIFT;
	}

	private WasmRuntimeException outOfBounds(int address, long length) {
		return new WasmRuntimeException("out of bounds memory access: attempted to access address: "
				+ Integer.toUnsignedString(address) + " length: " + length + " but size is: " + byteSize());
	}

	private void check(int address, long length) {
		if (length < 0 || Integer.toUnsignedLong(address) + length > byteSize()) {
			throw outOfBounds(address, length);
		}
	}

	/** Marks the blocks of {@code [address, address + length)}; the range is in bounds. */
	private void mark(int address, int length) {
		if (length <= 0) {
			return;
		}
		int first = address >>> BLOCK_SHIFT;
		int last = (int) ((Integer.toUnsignedLong(address) + length - 1) >>> BLOCK_SHIFT);
		for (int block = first; block <= last; block++) {
			this.dirty[block] = 1;
		}
	}

	// sizes

	@Override
	public int pages() {
		return this.pageCount;
	}

	@Override
	public int grow(int delta) {
		int previous = this.pageCount;
		long wanted = (long) previous + delta;
		if (delta < 0 || wanted > maximumPages()) {
			return -1;
		}
		int target = (int) wanted;
		if (target > this.pages.length) {
			int capacity = (int) Math.min(Math.max(target, (long) this.pages.length * 2), maximumPages());
			this.pages = Arrays.copyOf(this.pages, capacity);
			this.dirty = Arrays.copyOf(this.dirty, capacity * BLOCKS_PER_PAGE);
		}
		for (int page = previous; page < target; page++) {
			this.pages[page] = new byte[PAGE_SIZE];
			this.pageCount = page + 1;
		}
		return previous;
	}

	@Override
	public int initialPages() {
		return this.image.initialPages();
	}

	@Override
	public int maximumPages() {
		return this.image.maximumPages();
	}

	@Override
	public boolean shared() {
		return false;
	}

	@Override
	public Object lock(int address) {
		return this;
	}

	@Override
	public int waitOn(int address, int expected, long timeout) {
		throw new WasmRuntimeException("expected shared memory: wait on an unshared memory");
	}

	@Override
	public int waitOn(int address, long expected, long timeout) {
		throw new WasmRuntimeException("expected shared memory: wait on an unshared memory");
	}

	@Override
	public int notify(int address, int count) {
		check(address, 4);
		return 0;
	}

	// instantiation: the memory already holds the image

	@Override
	public void initialize(Instance instance, DataSegment[] dataSegments) {
		initialize(instance, dataSegments, 0);
	}

	/** The image holds the active segments already; only the passive ones are kept for {@code memory.init}. */
	@Override
	public void initialize(Instance instance, DataSegment[] dataSegments, int memoryIndex) {
		this.segments = dataSegments;
	}

	/** Chicory zeroes a memory before its data segments; this one holds the image already. */
	@Override
	public void zero() {
	}

	@Override
	public void initPassiveSegment(int segmentId, int destination, int offset, int size) {
		DataSegment[] known = this.segments;
		if (known == null || segmentId < 0 || segmentId >= known.length) {
			throw new WasmRuntimeException("unknown data segment " + segmentId);
		}
		byte[] data = (this.dropped != null && this.dropped[segmentId]) ? new byte[0] : known[segmentId].data();
		write(destination, data, offset, size);
	}

	@Override
	public void drop(int segment) {
		DataSegment[] known = this.segments;
		if (known == null || segment < 0 || segment >= known.length) {
			throw new WasmRuntimeException("unknown data segment " + segment);
		}
		if (this.dropped == null) {
			this.dropped = new boolean[known.length];
		}
		this.dropped[segment] = true;
	}

	// bulk

	@Override
	public void write(int address, byte[] data, int offset, int size) {
		if (offset < 0 || size < 0 || (long) offset + size > data.length) {
			throw new WasmRuntimeException("out of bounds memory access: " + size + " bytes at " + offset
					+ " of a " + data.length + "-byte source");
		}
		check(address, size);
		mark(address, size);
		int at = address;
		int from = offset;
		int left = size;
		while (left > 0) {
			int inPage = at & PAGE_MASK;
			int chunk = Math.min(left, PAGE_SIZE - inPage);
			System.arraycopy(data, from, this.pages[at >>> PAGE_SHIFT], inPage, chunk);
			at += chunk;
			from += chunk;
			left -= chunk;
		}
	}

	@Override
	public byte[] readBytes(int address, int length) {
		check(address, length);
		byte[] bytes = new byte[length];
		int at = address;
		int to = 0;
		while (to < length) {
			int inPage = at & PAGE_MASK;
			int chunk = Math.min(length - to, PAGE_SIZE - inPage);
			System.arraycopy(this.pages[at >>> PAGE_SHIFT], inPage, bytes, to, chunk);
			at += chunk;
			to += chunk;
		}
		return bytes;
	}

	/** Fills {@code [from, to)}. */
	@Override
	public void fill(byte value, int from, int to) {
		long length = Integer.toUnsignedLong(to) - Integer.toUnsignedLong(from);
		check(from, length);
		mark(from, (int) length);
		int at = from;
		long left = length;
		while (left > 0) {
			int inPage = at & PAGE_MASK;
			int chunk = (int) Math.min(left, PAGE_SIZE - inPage);
			Arrays.fill(this.pages[at >>> PAGE_SHIFT], inPage, inPage + chunk, value);
			at += chunk;
			left -= chunk;
		}
	}

	@Override
	public void copy(int destination, int source, int size) {
		check(source, size);
		check(destination, size);
		if (size == 0) {
			return;
		}
		int sourcePage = source >>> PAGE_SHIFT;
		int destinationPage = destination >>> PAGE_SHIFT;
		if (sourcePage == ((source + size - 1) >>> PAGE_SHIFT)
				&& destinationPage == ((destination + size - 1) >>> PAGE_SHIFT)) {
			mark(destination, size);
			System.arraycopy(this.pages[sourcePage], source & PAGE_MASK, this.pages[destinationPage],
					destination & PAGE_MASK, size);
			return;
		}
		write(destination, readBytes(source, size));
	}

	// scalars: a fast path inside one page, byte by byte across pages

	@Override
	public byte read(int address) {
		int page = address >>> PAGE_SHIFT;
		if (page < this.pageCount) {
			return this.pages[page][address & PAGE_MASK];
		}
		throw outOfBounds(address, 1);
	}

	@Override
	public void writeByte(int address, byte value) {
		int page = address >>> PAGE_SHIFT;
		if (page < this.pageCount) {
			this.dirty[address >>> BLOCK_SHIFT] = 1;
			this.pages[page][address & PAGE_MASK] = value;
			return;
		}
		throw outOfBounds(address, 1);
	}

	@Override
	public short readShort(int address) {
		int page = address >>> PAGE_SHIFT;
		int inPage = address & PAGE_MASK;
		if (page < this.pageCount && inPage <= PAGE_SIZE - 2) {
			return (short) SHORT.get(this.pages[page], inPage);
		}
		return (short) readSlow(address, 2);
	}

	@Override
	public long readU16(int address) {
		return readShort(address) & 0xFFFFL;
	}

	@Override
	public void writeShort(int address, short value) {
		int page = address >>> PAGE_SHIFT;
		int inPage = address & PAGE_MASK;
		if (page < this.pageCount && inPage <= PAGE_SIZE - 2) {
			this.dirty[address >>> BLOCK_SHIFT] = 1;
			this.dirty[(address + 1) >>> BLOCK_SHIFT] = 1;
			SHORT.set(this.pages[page], inPage, value);
			return;
		}
		writeSlow(address, value, 2);
	}

	@Override
	public int readInt(int address) {
		int page = address >>> PAGE_SHIFT;
		int inPage = address & PAGE_MASK;
		if (page < this.pageCount && inPage <= PAGE_SIZE - 4) {
			return (int) INT.get(this.pages[page], inPage);
		}
		return (int) readSlow(address, 4);
	}

	@Override
	public void writeI32(int address, int value) {
		int page = address >>> PAGE_SHIFT;
		int inPage = address & PAGE_MASK;
		if (page < this.pageCount && inPage <= PAGE_SIZE - 4) {
			this.dirty[address >>> BLOCK_SHIFT] = 1;
			this.dirty[(address + 3) >>> BLOCK_SHIFT] = 1;
			INT.set(this.pages[page], inPage, value);
			return;
		}
		writeSlow(address, value, 4);
	}

	@Override
	public long readLong(int address) {
		int page = address >>> PAGE_SHIFT;
		int inPage = address & PAGE_MASK;
		if (page < this.pageCount && inPage <= PAGE_SIZE - 8) {
			return (long) LONG.get(this.pages[page], inPage);
		}
		return readSlow(address, 8);
	}

	@Override
	public void writeLong(int address, long value) {
		int page = address >>> PAGE_SHIFT;
		int inPage = address & PAGE_MASK;
		if (page < this.pageCount && inPage <= PAGE_SIZE - 8) {
			this.dirty[address >>> BLOCK_SHIFT] = 1;
			this.dirty[(address + 7) >>> BLOCK_SHIFT] = 1;
			LONG.set(this.pages[page], inPage, value);
			return;
		}
		writeSlow(address, value, 8);
	}

	/** Chicory's convention: the float's bits, sign-extended from an int. */
	@Override
	public long readF32(int address) {
		return readInt(address);
	}

	@Override
	public float readFloat(int address) {
		return Float.intBitsToFloat(readInt(address));
	}

	@Override
	public void writeF32(int address, float value) {
		writeI32(address, Float.floatToRawIntBits(value));
	}

	@Override
	public long readF64(int address) {
		return readLong(address);
	}

	@Override
	public double readDouble(int address) {
		return Double.longBitsToDouble(readLong(address));
	}

	@Override
	public void writeF64(int address, double value) {
		writeLong(address, Double.doubleToRawLongBits(value));
	}

	/** Little-endian, byte by byte: a value across two pages, or out of bounds. */
	private long readSlow(int address, int length) {
		check(address, length);
		long value = 0;
		for (int i = length - 1; i >= 0; i--) {
			int at = address + i;
			value = (value << 8) | (this.pages[at >>> PAGE_SHIFT][at & PAGE_MASK] & 0xFF);
		}
		return value;
	}

	private void writeSlow(int address, long value, int length) {
		check(address, length);
		mark(address, length);
		for (int i = 0; i < length; i++) {
			int at = address + i;
			this.pages[at >>> PAGE_SHIFT][at & PAGE_MASK] = (byte) (value >>> (8 * i));
		}
	}

}
