package io.github.grain.plugin.engine.host;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.GuestTrapException;
import io.github.grain.plugin.engine.TrapKind;
import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.abi.GuestMemory;
import io.github.grain.plugin.engine.module.FunctionType;
import io.github.grain.plugin.engine.module.ValueType;
import io.github.grain.plugin.engine.runtime.HostFunction;

/**
 * A deny-by-default subset of WASI preview1 ({@code wasi_snapshot_preview1}) for guests
 * built with wasi-libc: no filesystem (no preopens; every path call answers
 * {@code ENOTCAPABLE}), no arguments and an empty environment (as {@code wasi:cli/environment}
 * in {@link WasiPreview2}, on which the component model's preview1 adapter builds
 * {@code environ_get}: a plugin's configured values are read only through {@code env-get},
 * under the {@code env} capability), stdout and stderr to the plugin's logger, clocks and
 * random. Any other preview1 function answers {@code ENOSYS}; none
 * traps except {@code proc_exit}.
 */
public final class WasiPreview1 {

	/** The import module name. */
	public static final String MODULE = "wasi_snapshot_preview1";

	static final int SUCCESS = 0;

	static final int EBADF = 8;

	static final int EINVAL = 28;

	static final int ENOSYS = 52;

	static final int ESPIPE = 70;

	static final int ENOTCAPABLE = 76;

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final ValueType I32 = ValueType.I32;

	private static final ValueType I64 = ValueType.I64;

	private WasiPreview1() {
	}

	/**
	 * The host function for one preview1 import.
	 * @param name the import's field name
	 * @param type the import's signature
	 * @param context the plugin it serves
	 * @param memoryExport the guest's memory export (either mangling)
	 * @throws InvalidPluginException when a known function is imported with another
	 * signature, or an unknown one cannot be answered with an errno
	 */
	public static HostFunction function(String name, FunctionType type, PluginHostContext context,
			String memoryExport) {
		Implementation implementation = implementation(name, context);
		FunctionType expected = SIGNATURES.get(name);
		if (expected != null && !expected.equals(type)) {
			throw new InvalidPluginException("plugin '" + context.plugin() + "' imports " + MODULE + "::" + name
					+ " with type " + type + ", expected " + expected);
		}
		if (implementation == null) {
			if (!type.results().equals(List.of(I32))) {
				throw new InvalidPluginException("plugin '" + context.plugin() + "' imports unsupported " + MODULE
						+ "::" + name + " " + type);
			}
			implementation = (memory, args) -> ENOSYS;
		}
		Implementation chosen = implementation;
		return HostFunction.of(type, (caller, args) -> {
			int errno = chosen.call(caller.memory(memoryExport), args);
			return type.results().isEmpty() ? new long[0] : new long[] { errno };
		});
	}

	@FunctionalInterface
	private interface Implementation {

		int call(GuestMemory memory, long[] args);

	}

	private static final Map<String, FunctionType> SIGNATURES = Map.ofEntries(
			Map.entry("args_get", FunctionType.i32(2, 1)), Map.entry("args_sizes_get", FunctionType.i32(2, 1)),
			Map.entry("environ_get", FunctionType.i32(2, 1)), Map.entry("environ_sizes_get", FunctionType.i32(2, 1)),
			Map.entry("clock_res_get", FunctionType.i32(2, 1)),
			Map.entry("clock_time_get", new FunctionType(List.of(I32, I64, I32), List.of(I32))),
			Map.entry("fd_write", FunctionType.i32(4, 1)), Map.entry("fd_close", FunctionType.i32(1, 1)),
			Map.entry("fd_seek", new FunctionType(List.of(I32, I64, I32, I32), List.of(I32))),
			Map.entry("fd_fdstat_get", FunctionType.i32(2, 1)), Map.entry("fd_prestat_get", FunctionType.i32(2, 1)),
			Map.entry("fd_prestat_dir_name", FunctionType.i32(3, 1)), Map.entry("random_get", FunctionType.i32(2, 1)),
			Map.entry("proc_exit", FunctionType.i32(1, 0)), Map.entry("sched_yield", FunctionType.i32(0, 1)));

	private static Implementation implementation(String name, PluginHostContext context) {
		switch (name) {
			case "args_get", "environ_get":
				return (memory, args) -> SUCCESS;
			case "args_sizes_get", "environ_sizes_get":
				return (memory, args) -> {
					memory.writeU32(u32(args[0]), 0);
					memory.writeU32(u32(args[1]), 0);
					return SUCCESS;
				};
			case "clock_res_get":
				return (memory, args) -> {
					memory.writeU64(u32(args[1]), 1_000L);
					return SUCCESS;
				};
			case "clock_time_get":
				return (memory, args) -> clockTimeGet(memory, (int) args[0], u32(args[2]));
			case "fd_write":
				return (memory, args) -> fdWrite(memory, (int) args[0], u32(args[1]), u32(args[2]), u32(args[3]),
						context);
			case "fd_close":
				return (memory, args) -> isStdio((int) args[0]) ? SUCCESS : EBADF;
			case "fd_seek":
				return (memory, args) -> isStdio((int) args[0]) ? ESPIPE : EBADF;
			case "fd_fdstat_get":
				return (memory, args) -> fdstatGet(memory, (int) args[0], u32(args[1]));
			case "fd_prestat_get":
			case "fd_prestat_dir_name":
				return (memory, args) -> EBADF;
			case "random_get":
				return (memory, args) -> randomGet(memory, u32(args[0]), u32(args[1]));
			case "sched_yield":
				return (memory, args) -> SUCCESS;
			case "proc_exit":
				return (memory, args) -> {
					throw new GuestTrapException(TrapKind.EXIT, "plugin '" + context.plugin() + "' called proc_exit("
							+ (int) args[0] + ")", null);
				};
			default:
				if (name.startsWith("path_")) {
					return (memory, args) -> ENOTCAPABLE;
				}
				return null;
		}
	}

	private static long u32(long value) {
		return value & 0xFFFF_FFFFL;
	}

	private static boolean isStdio(int fd) {
		return fd >= 0 && fd <= 2;
	}

	private static int clockTimeGet(GuestMemory memory, int clock, long resultPointer) {
		long nanos;
		switch (clock) {
			case 0 -> {
				Instant now = Instant.now();
				nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
			}
			case 1, 2, 3 -> nanos = System.nanoTime();
			default -> {
				return EINVAL;
			}
		}
		memory.writeU64(resultPointer, nanos);
		return SUCCESS;
	}

	private static int fdWrite(GuestMemory memory, int fd, long iovs, long count, long writtenPointer,
			PluginHostContext context) {
		if (fd != 1 && fd != 2) {
			return EBADF;
		}
		memory.checkRange(iovs, count * 8, "fd_write iovecs");
		StringBuilder text = new StringBuilder();
		long written = 0;
		for (long i = 0; i < count; i++) {
			long pointer = memory.readU32(iovs + i * 8);
			long length = memory.readU32(iovs + i * 8 + 4);
			memory.checkRange(pointer, length, "fd_write buffer");
			int shown = (int) Math.min(length, context.maxLogBytesPerCall());
			text.append(new String(memory.read(pointer, shown, "fd_write buffer"), StandardCharsets.UTF_8));
			written += length;
		}
		memory.writeU32(writtenPointer, written);
		if (context.granted(Capability.LOG)) {
			String message = text.toString().stripTrailing();
			if (!message.isEmpty()) {
				GuestLog.write(context, (fd == 1) ? 1 : 2, message);
			}
		}
		return SUCCESS;
	}

	private static int fdstatGet(GuestMemory memory, int fd, long statPointer) {
		if (!isStdio(fd)) {
			return EBADF;
		}
		memory.checkRange(statPointer, 24, "fdstat");
		memory.write(statPointer, new byte[24], "fdstat");
		memory.writeU8(statPointer, 2);
		memory.writeU64(statPointer + 8, (fd == 0) ? 0x2L : 0x40L);
		return SUCCESS;
	}

	private static int randomGet(GuestMemory memory, long pointer, long length) {
		memory.checkRange(pointer, length, "random_get buffer");
		long done = 0;
		byte[] chunk = new byte[(int) Math.min(length, 65536)];
		while (done < length) {
			int n = (int) Math.min(chunk.length, length - done);
			RANDOM.nextBytes(chunk);
			memory.write(pointer + done, (n == chunk.length) ? chunk : java.util.Arrays.copyOf(chunk, n),
					"random_get buffer");
			done += n;
		}
		return SUCCESS;
	}

}
