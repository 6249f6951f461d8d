package io.github.grain.plugin.engine.module;

import java.io.ByteArrayOutputStream;

import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.MalformedBinaryException;

/**
 * Caps a core module's linear memory by rewriting the maximum declared in its memory
 * section before it is compiled: {@code memory.grow} past the cap then fails in the
 * guest ({@code -1}), as the WebAssembly spec defines, without any runtime support for
 * limits. The rest of the module is copied byte for byte.
 */
public final class MemoryLimiter {

	/** The size of a WebAssembly page. */
	public static final long PAGE_BYTES = 65536;

	private MemoryLimiter() {
	}

	/**
	 * @param plugin quoted in errors
	 * @param module a core module, already parsed by {@link ModuleParser}
	 * @param maxBytes the cap; rounded down to whole pages
	 * @return the module with every defined memory's maximum at most the cap
	 * @throws InvalidPluginException when a memory's initial size exceeds the cap, or the
	 * module imports a memory
	 */
	public static byte[] limit(String plugin, byte[] module, long maxBytes) {
		long maxPages = maxBytes / PAGE_BYTES;
		WasmReader reader = new WasmReader(module);
		reader.skip(8);
		ByteArrayOutputStream out = new ByteArrayOutputStream(module.length + 16);
		out.write(module, 0, 8);
		while (!reader.atEnd()) {
			int sectionStart = reader.position();
			int id = reader.u8();
			int size = reader.u32AsInt("section size");
			WasmReader section = reader.slice(size);
			if (id == 5) {
				byte[] payload = limitSection(plugin, section, maxPages);
				out.write(5);
				writeU32(out, payload.length);
				out.write(payload, 0, payload.length);
			}
			else {
				if (id == 2 && importsMemory(module, sectionStart, reader.position())) {
					throw new InvalidPluginException("plugin '" + plugin
							+ "' imports its linear memory; this host only runs modules that define their own");
				}
				out.write(module, sectionStart, reader.position() - sectionStart);
			}
		}
		return out.toByteArray();
	}

	private static byte[] limitSection(String plugin, WasmReader section, long maxPages) {
		ByteArrayOutputStream payload = new ByteArrayOutputStream();
		int count = section.count("memory", 2);
		writeU32(payload, count);
		for (int i = 0; i < count; i++) {
			long at = section.offset();
			int flags = section.u8();
			if (flags > 0x01) {
				throw new MalformedBinaryException("unsupported memory limits flags 0x" + Integer.toHexString(flags), at);
			}
			long min = section.u32();
			long max = ((flags & 0x01) != 0) ? section.u32() : Long.MAX_VALUE;
			if (min > maxPages) {
				throw new InvalidPluginException("plugin '" + plugin + "' memory " + i + " starts at " + min
						+ " pages, more than the cap of " + maxPages + " pages (" + maxPages * PAGE_BYTES + " bytes)");
			}
			payload.write(0x01);
			writeU32(payload, min);
			writeU32(payload, Math.min(max, maxPages));
		}
		if (!section.atEnd()) {
			throw new MalformedBinaryException("memory section has trailing bytes", section.offset());
		}
		return payload.toByteArray();
	}

	private static boolean importsMemory(byte[] module, int sectionStart, int sectionEnd) {
		WasmReader reader = new WasmReader(module, sectionStart, sectionEnd, 0);
		reader.u8();
		reader.u32();
		int count = reader.count("import", 4);
		for (int i = 0; i < count; i++) {
			reader.name();
			reader.name();
			int kind = reader.u8();
			switch (kind) {
				case 0x00 -> reader.u32();
				case 0x01 -> {
					reader.u8();
					skipLimits(reader);
				}
				case 0x02 -> {
					return true;
				}
				case 0x03 -> {
					reader.u8();
					reader.u8();
				}
				default -> {
					reader.u8();
					reader.u32();
				}
			}
		}
		return false;
	}

	private static void skipLimits(WasmReader reader) {
		int flags = reader.u8();
		reader.u32();
		if ((flags & 0x01) != 0) {
			reader.u32();
		}
	}

	private static void writeU32(ByteArrayOutputStream out, long value) {
		long v = value;
		do {
			int b = (int) (v & 0x7F);
			v >>>= 7;
			out.write((v != 0) ? b | 0x80 : b);
		}
		while (v != 0);
	}

}
