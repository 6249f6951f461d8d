package io.github.grain.plugin.runtime.chicory;

import com.dylibso.chicory.runtime.Memory;
import org.jspecify.annotations.Nullable;

/**
 * A linear memory's contents at one moment, page by page, read-only once taken: what
 * every {@link ResettableMemory} of a module starts from and returns to.
 *
 * @param plugin the plugin, for messages
 * @param pages each page's bytes, {@code null} for a page of zeros
 * @param initialPages the module's declared initial size, in pages
 * @param maximumPages the largest size the memory may grow to, in pages
 */
record MemoryImage(String plugin, byte[] @Nullable [] pages, int initialPages, int maximumPages) {

	/** The contents of {@code memory} now. */
	static MemoryImage of(String plugin, Memory memory) {
		int count = memory.pages();
		byte[][] pages = new byte[count][];
		for (int page = 0; page < count; page++) {
			byte[] bytes = memory.readBytes(page * Memory.PAGE_SIZE, Memory.PAGE_SIZE);
			pages[page] = isZero(bytes) ? null : bytes;
		}
		return new MemoryImage(plugin, pages, memory.initialPages(), memory.maximumPages());
	}

	private static boolean isZero(byte[] bytes) {
		for (byte b : bytes) {
			if (b != 0) {
				return false;
			}
		}
		return true;
	}

	int pageCount() {
		return this.pages.length;
	}

	byte @Nullable [] page(int page) {
		return this.pages[page];
	}

}
