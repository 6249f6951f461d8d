package io.github.grain.plugin.engine.host;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import io.github.grain.plugin.engine.Capability;

/**
 * The host objects behind WASI 0.2 resource handles. Each lives in one instance's
 * {@link ResourceTable} and dies with it.
 */
final class WasiResources {

	private WasiResources() {
	}

	/** Nanoseconds on the host's monotonic clock, from an origin that keeps them positive. */
	static long monotonicNow() {
		return System.nanoTime() - ORIGIN;
	}

	private static final long ORIGIN = System.nanoTime() - 1;

	/**
	 * {@code wasi:io/poll#pollable}: ready at a point of the monotonic clock.
	 * @param readyAt {@link #monotonicNow()} nanoseconds at which it fires, as an unsigned
	 * value ({@code -1}: never)
	 */
	record Pollable(long readyAt) {

		static final Pollable READY = new Pollable(0);

		boolean ready(long now) {
			return Long.compareUnsigned(this.readyAt, now) <= 0;
		}

	}

	/** {@code wasi:io/error#error}. */
	record IoError(String message) {
	}

	/** {@code wasi:io/streams#input-stream} of stdin: always at its end. */
	static final class EmptyInput {

	}

	/**
	 * {@code wasi:io/streams#output-stream} to the plugin's log (stdout at info, stderr at
	 * warn): bytes are cut into lines, each logged within the call's log budget. A line
	 * longer than the budget is logged when it reaches it (and the rest dropped by it).
	 */
	static final class LogOutput implements AutoCloseable {

		private final PluginHostContext context;

		private final int level;

		private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

		LogOutput(PluginHostContext context, int level) {
			this.context = context;
			this.level = level;
		}

		void write(byte[] bytes) {
			int start = 0;
			for (int i = 0; i < bytes.length; i++) {
				if (bytes[i] == '\n') {
					this.pending.write(bytes, start, i - start);
					emit();
					start = i + 1;
				}
				else if (this.pending.size() + (i - start) >= this.context.maxLogBytesPerCall()) {
					this.pending.write(bytes, start, i - start);
					emit();
					start = i;
				}
			}
			this.pending.write(bytes, start, bytes.length - start);
		}

		void flush() {
			if (this.pending.size() > 0) {
				emit();
			}
		}

		private void emit() {
			String line = this.pending.toString(StandardCharsets.UTF_8);
			this.pending.reset();
			if (line.endsWith("\r")) {
				line = line.substring(0, line.length() - 1);
			}
			if (this.context.granted(Capability.LOG) && !line.isEmpty()) {
				GuestLog.write(this.context, this.level, line);
			}
		}

		@Override
		public void close() {
			flush();
		}

	}

}
