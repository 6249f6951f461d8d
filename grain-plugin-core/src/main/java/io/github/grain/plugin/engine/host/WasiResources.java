package io.github.grain.plugin.engine.host;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import java.util.function.BooleanSupplier;

import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.abi.VariantValue;
import org.jspecify.annotations.Nullable;

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
	 * {@code wasi:io/poll#pollable}: ready at a point of the monotonic clock, or when an
	 * event has happened (an HTTP answer is there). Events happen only inside host calls,
	 * never while the guest waits, so a wait on an event not yet happened ends at the
	 * call's deadline.
	 */
	static final class Pollable {

		static final Pollable READY = at(0);

		private final long readyAt;

		private final @Nullable BooleanSupplier event;

		private Pollable(long readyAt, @Nullable BooleanSupplier event) {
			this.readyAt = readyAt;
			this.event = event;
		}

		/**
		 * @param readyAt {@link #monotonicNow()} nanoseconds at which it fires, as an unsigned
		 * value ({@code -1}: never)
		 */
		static Pollable at(long readyAt) {
			return new Pollable(readyAt, null);
		}

		/** Ready once {@code event} holds. */
		static Pollable when(BooleanSupplier event) {
			return new Pollable(-1L, event);
		}

		boolean ready(long now) {
			return (this.event != null) ? this.event.getAsBoolean() : Long.compareUnsigned(this.readyAt, now) <= 0;
		}

		/** When it fires on the monotonic clock, unsigned ({@code -1}: not by the clock). */
		long readyAt() {
			return this.readyAt;
		}

	}

	/** {@code wasi:io/streams#input-stream}: what the host reads to the guest. */
	interface Input {

		/**
		 * At most {@code length} bytes (an unsigned count) as
		 * {@code result<list<u8>, stream-error>}: {@code err(closed)} at the end.
		 */
		VariantValue read(long length);

	}

	/** {@code wasi:io/streams#output-stream}: where the guest's bytes go. */
	interface Output {

		/** {@code result<_, stream-error>} of writing {@code bytes}. */
		VariantValue write(byte[] bytes);

		void flush();

	}

	/** {@code stream-error.closed}. */
	static final VariantValue CLOSED = new VariantValue(1, null);

	/** {@code stream-error.last-operation-failed(error)}. */
	static VariantValue failed(String message) {
		return new VariantValue(0, new IoError(message));
	}

	/** Bytes read out in order, then the end. */
	static final class BytesInput implements Input {

		/** The most one read hands the guest, however much it asks for. */
		static final int MAX_READ = 64 * 1024;

		private final byte[] bytes;

		private int position;

		BytesInput(byte[] bytes) {
			this.bytes = bytes;
		}

		@Override
		public VariantValue read(long length) {
			if (this.position >= this.bytes.length) {
				return VariantValue.err(CLOSED);
			}
			long wanted = (Long.compareUnsigned(length, MAX_READ) > 0) ? MAX_READ : length;
			int count = (int) Math.min(wanted, this.bytes.length - this.position);
			byte[] chunk = java.util.Arrays.copyOfRange(this.bytes, this.position, this.position + count);
			this.position += count;
			return VariantValue.ok(chunk);
		}

	}

	/** {@code wasi:io/error#error}. */
	record IoError(String message) {
	}

	/** {@code wasi:io/streams#input-stream} of stdin: always at its end. */
	static final class EmptyInput implements Input {

		@Override
		public VariantValue read(long length) {
			return VariantValue.err(CLOSED);
		}

	}

	/**
	 * {@code wasi:io/streams#output-stream} to the plugin's log (stdout at info, stderr at
	 * warn): bytes are cut into lines, each logged within the call's log budget. A line
	 * longer than the budget is logged when it reaches it (and the rest dropped by it).
	 */
	static final class LogOutput implements Output, AutoCloseable {

		private final PluginHostContext context;

		private final int level;

		private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

		LogOutput(PluginHostContext context, int level) {
			this.context = context;
			this.level = level;
		}

		@Override
		public VariantValue write(byte[] bytes) {
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
			return VariantValue.ok(null);
		}

		@Override
		public void flush() {
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
