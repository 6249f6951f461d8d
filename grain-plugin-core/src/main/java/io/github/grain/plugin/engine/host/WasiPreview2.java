package io.github.grain.plugin.engine.host;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.grain.plugin.engine.AbiViolationException;
import io.github.grain.plugin.engine.GuestTrapException;
import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.TrapKind;
import io.github.grain.plugin.engine.abi.VariantValue;
import io.github.grain.plugin.engine.abi.WitType;
import io.github.grain.plugin.engine.module.FunctionType;
import io.github.grain.plugin.engine.module.ValueType;
import io.github.grain.plugin.engine.runtime.HostFunction;
import io.github.grain.plugin.engine.wit.WitFunction;
import org.jspecify.annotations.Nullable;

import static io.github.grain.plugin.engine.abi.WitType.borrow;
import static io.github.grain.plugin.engine.abi.WitType.caseOf;
import static io.github.grain.plugin.engine.abi.WitType.field;
import static io.github.grain.plugin.engine.abi.WitType.own;

/**
 * WASI 0.2 imports of a component's main module, written once on lifted WIT values and
 * run through the same canonical adapter as {@code grain:plugin/host}
 * ({@link GrainHostImports#canonical}); resources live in the instance's
 * {@link ResourceTable}. Deny by default: an empty environment and no arguments (the OS
 * environment is never visible), stdin at its end, stdout and stderr to the plugin's log
 * within the call's budget, no terminal, no filesystem (no preopens, so no descriptor can
 * exist and every descriptor method traps on its handle), clocks, random; waiting on a
 * pollable never outlasts the call's deadline. An import module {@code wasi:<pkg>/<iface>@0.2.N}
 * matches by interface whatever its patch version. Any other WASI function is refused at
 * load by name.
 */
public final class WasiPreview2 {

	static final String IO_ERROR = "wasi:io/error#error";

	static final String POLLABLE = "wasi:io/poll#pollable";

	static final String INPUT_STREAM = "wasi:io/streams#input-stream";

	static final String OUTPUT_STREAM = "wasi:io/streams#output-stream";

	static final String TERMINAL_INPUT = "wasi:cli/terminal-input#terminal-input";

	static final String TERMINAL_OUTPUT = "wasi:cli/terminal-output#terminal-output";

	static final String DESCRIPTOR = "wasi:filesystem/types#descriptor";

	static final String DIRECTORY_ENTRY_STREAM = "wasi:filesystem/types#directory-entry-stream";

	/** What {@code check-write} permits, and the most one blocking write may carry. */
	static final long WRITE_PERMIT = 4096;

	/** The most bytes one {@code get-random-bytes} call may ask for. */
	static final long MAX_RANDOM_BYTES = 1024 * 1024;

	private static final Pattern MODULE = Pattern.compile("(wasi:[a-z][a-z0-9-]*/[a-z][a-z0-9-]*)@0\\.2(?:\\.(\\d+))?");

	private static final SecureRandom RANDOM = new SecureRandom();

	static final WitType STREAM_ERROR = WitType.variant("stream-error",
			caseOf("last-operation-failed", own(IO_ERROR)), caseOf("closed", null));

	private static final WitType DATETIME = WitType.record("datetime", field("seconds", WitType.u64()),
			field("nanoseconds", WitType.u32()));

	private static final WitType FILESYSTEM_ERROR_CODE = WitType.enumOf("error-code", "access", "would-block",
			"already", "bad-descriptor", "busy", "deadlock", "quota", "exist", "file-too-large",
			"illegal-byte-sequence", "in-progress", "interrupted", "invalid", "io", "is-directory", "loop",
			"too-many-links", "message-size", "name-too-long", "no-device", "no-entry", "no-lock",
			"insufficient-memory", "insufficient-space", "not-directory", "not-empty", "not-recoverable",
			"unsupported", "no-tty", "no-such-device", "overflow", "not-permitted", "pipe", "read-only",
			"invalid-seek", "text-file-busy", "cross-device");

	private static final int STDOUT_LEVEL = 1;

	private static final int STDERR_LEVEL = 2;

	private WasiPreview2() {
	}

	/** Whether {@code module} names a WASI interface (of any version). */
	public static boolean isWasi(String module) {
		return module.startsWith("wasi:");
	}

	/**
	 * The interface a WASI 0.2 import module names, without its version
	 * ({@code wasi:io/streams@0.2.10} is {@code wasi:io/streams}).
	 */
	static Optional<String> interfaceOf(String module) {
		Matcher matcher = MODULE.matcher(module);
		return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
	}

	/**
	 * The host function for one WASI 0.2 import.
	 * @param module the import module, for example {@code wasi:io/streams@0.2.10}
	 * @param name the function, for example {@code [method]output-stream.write}
	 * @param type the import's core signature
	 * @param context the plugin it serves
	 * @param memoryExport the guest's memory export
	 * @param reallocExport the guest's realloc export
	 * @param maxBytes the most bytes one call's parameters may lift
	 * @throws InvalidPluginException naming the import when it is not provided or has
	 * another signature
	 */
	public static HostFunction function(String module, String name, FunctionType type, PluginHostContext context,
			String memoryExport, String reallocExport, long maxBytes) {
		String where = "'" + module + "' '" + name + "'";
		String iface = interfaceOf(module).orElseThrow(() -> new InvalidPluginException(
				"import " + where + " is not a WASI 0.2 interface (only wasi:*@0.2.x are provided)"));
		if (iface.equals("wasi:filesystem/types") && isDescriptorFunction(name)) {
			return descriptorFunction(name, type);
		}
		Definition definition = DEFINITIONS.getOrDefault(iface, Map.of()).get(name);
		if (definition == null) {
			throw new InvalidPluginException("WASI import " + where + " is not provided by this host");
		}
		if (!definition.function().importType().equals(type)) {
			throw new InvalidPluginException("WASI import " + where + " has type " + type + ", expected "
					+ definition.function().importType());
		}
		return GrainHostImports.canonical(definition.function(),
				(host, args) -> definition.implementation().invoke(host, args, maxBytes), context, memoryExport,
				reallocExport, maxBytes);
	}

	/** Every function the host provides, by interface (unversioned) and name. */
	static Map<String, Map<String, WitFunction>> provided() {
		Map<String, Map<String, WitFunction>> out = new HashMap<>();
		DEFINITIONS.forEach((iface, functions) -> {
			Map<String, WitFunction> byName = new HashMap<>();
			functions.forEach((name, definition) -> byName.put(name, definition.function()));
			out.put(iface, Map.copyOf(byName));
		});
		return Map.copyOf(out);
	}

	private record Definition(WitFunction function, BoundedImport implementation) {
	}

	/** A host import that also needs the most bytes one call's parameters may lift (a body cap). */
	@FunctionalInterface
	interface BoundedImport {

		@Nullable Object invoke(PluginHostContext context, List<Object> args, long maxBytes);

	}

	private static final Map<String, Map<String, Definition>> DEFINITIONS = new HashMap<>();

	static void define(String iface, String name, List<WitType.Field> params, @Nullable WitType result,
			GrainHostImports.HostImport implementation) {
		defineBounded(iface, name, params, result, (context, args, maxBytes) -> implementation.invoke(context, args));
	}

	static void defineBounded(String iface, String name, List<WitType.Field> params, @Nullable WitType result,
			BoundedImport implementation) {
		DEFINITIONS.computeIfAbsent(iface, (k) -> new HashMap<>())
			.put(name, new Definition(new WitFunction(iface, name, params, result), implementation));
	}

	static List<WitType.Field> self(String resource) {
		return List.of(field("self", borrow(resource)));
	}

	static List<WitType.Field> self(String resource, WitType.Field more) {
		return List.of(field("self", borrow(resource)), more);
	}

	static void resource(String iface, String resource) {
		String simple = resource.substring(resource.indexOf('#') + 1);
		define(iface, "[resource-drop]" + simple, List.of(field("rep", own(resource))), null, (context, args) -> {
			if (args.get(0) instanceof AutoCloseable closeable) {
				try {
					closeable.close();
				}
				catch (Exception ex) {
					throw new IllegalStateException("closing a " + resource + " failed", ex);
				}
			}
			return null;
		});
	}

	static {
		// wasi:io/error
		resource("wasi:io/error", IO_ERROR);
		define("wasi:io/error", "[method]error.to-debug-string", self(IO_ERROR), WitType.string(),
				(context, args) -> ((WasiResources.IoError) args.get(0)).message());

		// wasi:io/poll
		resource("wasi:io/poll", POLLABLE);
		define("wasi:io/poll", "[method]pollable.ready", self(POLLABLE), WitType.bool(),
				(context, args) -> ((WasiResources.Pollable) args.get(0)).ready(WasiResources.monotonicNow()));
		define("wasi:io/poll", "[method]pollable.block", self(POLLABLE), null, (context, args) -> {
			await(context, List.of(args.get(0)), "[method]pollable.block");
			return null;
		});
		define("wasi:io/poll", "poll", List.of(field("in", WitType.list(borrow(POLLABLE)))),
				WitType.list(WitType.u32()), (context, args) -> await(context, (List<?>) args.get(0), "poll"));

		// wasi:io/streams: stdin is at its end; stdout and stderr are the log
		resource("wasi:io/streams", INPUT_STREAM);
		resource("wasi:io/streams", OUTPUT_STREAM);
		WitType.Field length = field("len", WitType.u64());
		WitType readResult = WitType.result(WitType.list(WitType.u8()), STREAM_ERROR);
		WitType countResult = WitType.result(WitType.u64(), STREAM_ERROR);
		WitType unitResult = WitType.result(null, STREAM_ERROR);
		for (String read : List.of("read", "blocking-read")) {
			define("wasi:io/streams", "[method]input-stream." + read, self(INPUT_STREAM, length), readResult,
					(context, args) -> ((WasiResources.Input) args.get(0)).read((Long) args.get(1)));
		}
		for (String skip : List.of("skip", "blocking-skip")) {
			define("wasi:io/streams", "[method]input-stream." + skip, self(INPUT_STREAM, length), countResult,
					(context, args) -> skip((WasiResources.Input) args.get(0), (Long) args.get(1)));
		}
		define("wasi:io/streams", "[method]input-stream.subscribe", self(INPUT_STREAM), own(POLLABLE),
				(context, args) -> WasiResources.Pollable.READY);
		define("wasi:io/streams", "[method]output-stream.check-write", self(OUTPUT_STREAM), countResult,
				(context, args) -> VariantValue.ok(WRITE_PERMIT));
		WitType.Field contents = field("contents", WitType.list(WitType.u8()));
		define("wasi:io/streams", "[method]output-stream.write", self(OUTPUT_STREAM, contents), unitResult,
				(context, args) -> write(args.get(0), bytes(args.get(1)), false));
		define("wasi:io/streams", "[method]output-stream.blocking-write-and-flush", self(OUTPUT_STREAM, contents),
				unitResult, (context, args) -> write(args.get(0), bytes(args.get(1)), true));
		define("wasi:io/streams", "[method]output-stream.write-zeroes", self(OUTPUT_STREAM, length), unitResult,
				(context, args) -> write(args.get(0), zeroes((Long) args.get(1)), false));
		define("wasi:io/streams", "[method]output-stream.blocking-write-zeroes-and-flush",
				self(OUTPUT_STREAM, length), unitResult,
				(context, args) -> write(args.get(0), zeroes((Long) args.get(1)), true));
		for (String flush : List.of("flush", "blocking-flush")) {
			define("wasi:io/streams", "[method]output-stream." + flush, self(OUTPUT_STREAM), unitResult,
					(context, args) -> {
						((WasiResources.Output) args.get(0)).flush();
						return VariantValue.ok(null);
					});
		}
		define("wasi:io/streams", "[method]output-stream.subscribe", self(OUTPUT_STREAM), own(POLLABLE),
				(context, args) -> WasiResources.Pollable.READY);
		for (String splice : List.of("splice", "blocking-splice")) {
			define("wasi:io/streams", "[method]output-stream." + splice,
					List.of(field("self", borrow(OUTPUT_STREAM)), field("src", borrow(INPUT_STREAM)), length),
					countResult, (context, args) -> splice((WasiResources.Output) args.get(0),
							(WasiResources.Input) args.get(1), (Long) args.get(2)));
		}

		// wasi:cli
		WitType stringPairs = WitType.list(WitType.tuple(WitType.string(), WitType.string()));
		define("wasi:cli/environment", "get-environment", List.of(), stringPairs, (context, args) -> List.of());
		define("wasi:cli/environment", "get-arguments", List.of(), WitType.list(WitType.string()),
				(context, args) -> List.of());
		define("wasi:cli/environment", "initial-cwd", List.of(), WitType.option(WitType.string()),
				(context, args) -> VariantValue.none());
		define("wasi:cli/exit", "exit", List.of(field("status", WitType.result(null, null))), null,
				(context, args) -> {
					boolean ok = ((VariantValue) args.get(0)).caseIndex() == 0;
					throw new GuestTrapException(TrapKind.EXIT, "plugin '" + context.plugin()
							+ "' called wasi:cli/exit exit(" + (ok ? "ok" : "err") + ")", null);
				});
		define("wasi:cli/stdin", "get-stdin", List.of(), own(INPUT_STREAM),
				(context, args) -> new WasiResources.EmptyInput());
		define("wasi:cli/stdout", "get-stdout", List.of(), own(OUTPUT_STREAM),
				(context, args) -> new WasiResources.LogOutput(context, STDOUT_LEVEL));
		define("wasi:cli/stderr", "get-stderr", List.of(), own(OUTPUT_STREAM),
				(context, args) -> new WasiResources.LogOutput(context, STDERR_LEVEL));
		resource("wasi:cli/terminal-input", TERMINAL_INPUT);
		resource("wasi:cli/terminal-output", TERMINAL_OUTPUT);
		define("wasi:cli/terminal-stdin", "get-terminal-stdin", List.of(), WitType.option(own(TERMINAL_INPUT)),
				(context, args) -> VariantValue.none());
		for (String stream : List.of("stdout", "stderr")) {
			define("wasi:cli/terminal-" + stream, "get-terminal-" + stream, List.of(),
					WitType.option(own(TERMINAL_OUTPUT)), (context, args) -> VariantValue.none());
		}

		// wasi:clocks
		define("wasi:clocks/wall-clock", "now", List.of(), DATETIME, (context, args) -> {
			Instant now = Instant.now();
			return List.of(now.getEpochSecond(), (long) now.getNano());
		});
		define("wasi:clocks/wall-clock", "resolution", List.of(), DATETIME, (context, args) -> List.of(0L, 1000L));
		define("wasi:clocks/monotonic-clock", "now", List.of(), WitType.u64(),
				(context, args) -> WasiResources.monotonicNow());
		define("wasi:clocks/monotonic-clock", "resolution", List.of(), WitType.u64(), (context, args) -> 1L);
		define("wasi:clocks/monotonic-clock", "subscribe-instant", List.of(field("when", WitType.u64())),
				own(POLLABLE), (context, args) -> WasiResources.Pollable.at((Long) args.get(0)));
		define("wasi:clocks/monotonic-clock", "subscribe-duration", List.of(field("when", WitType.u64())),
				own(POLLABLE), (context, args) -> {
					long now = WasiResources.monotonicNow();
					long duration = (Long) args.get(0);
					long at = now + duration;
					// unsigned overflow: fires never
					return WasiResources.Pollable.at((Long.compareUnsigned(at, now) < 0) ? -1L : at);
				});

		// wasi:random
		define("wasi:random/random", "get-random-bytes", List.of(length), WitType.list(WitType.u8()),
				(context, args) -> randomBytes((Long) args.get(0), RANDOM));
		define("wasi:random/random", "get-random-u64", List.of(), WitType.u64(), (context, args) -> RANDOM.nextLong());
		define("wasi:random/insecure", "get-insecure-random-bytes", List.of(length), WitType.list(WitType.u8()),
				(context, args) -> randomBytes((Long) args.get(0), ThreadLocalRandom.current()));
		define("wasi:random/insecure", "get-insecure-random-u64", List.of(), WitType.u64(),
				(context, args) -> ThreadLocalRandom.current().nextLong());
		define("wasi:random/insecure-seed", "insecure-seed", List.of(),
				WitType.tuple(WitType.u64(), WitType.u64()),
				(context, args) -> List.of(RANDOM.nextLong(), RANDOM.nextLong()));

		// wasi:filesystem: no preopens, so no descriptor ever exists (see descriptorFunction)
		define("wasi:filesystem/preopens", "get-directories", List.of(),
				WitType.list(WitType.tuple(own(DESCRIPTOR), WitType.string())), (context, args) -> List.of());
		define("wasi:filesystem/types", "filesystem-error-code", List.of(field("err", borrow(IO_ERROR))),
				WitType.option(FILESYSTEM_ERROR_CODE), (context, args) -> VariantValue.none());

		WasiHttp.define();
	}

	private static Object skip(WasiResources.Input input, long length) {
		VariantValue read = input.read(length);
		return (read.caseIndex() == 0) ? VariantValue.ok((long) ((byte[]) read.payload()).length) : read;
	}

	private static Object splice(WasiResources.Output output, WasiResources.Input input, long length) {
		VariantValue read = input.read(length);
		if (read.caseIndex() != 0) {
			return read;
		}
		byte[] bytes = (byte[]) read.payload();
		VariantValue written = output.write(bytes);
		return (written.caseIndex() == 0) ? VariantValue.ok((long) bytes.length) : written;
	}

	private static Object write(Object stream, byte[] bytes, boolean flush) {
		WasiResources.Output output = (WasiResources.Output) stream;
		VariantValue written = output.write(bytes);
		if (flush && written.caseIndex() == 0) {
			output.flush();
		}
		return written;
	}

	/** A lifted {@code list<u8>} (a list of {@code Integer}) as bytes; {@link WasiHttp} lifts its bodies and field values with it too. */
	static byte[] bytes(Object list) {
		List<?> values = (List<?>) list;
		byte[] bytes = new byte[values.size()];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = ((Number) values.get(i)).byteValue();
		}
		return bytes;
	}

	private static byte[] zeroes(long length) {
		if (Long.compareUnsigned(length, WRITE_PERMIT) > 0) {
			throw new AbiViolationException("write-zeroes of " + Long.toUnsignedString(length)
					+ " bytes exceeds the write permit of " + WRITE_PERMIT + " bytes");
		}
		return new byte[(int) length];
	}

	private static byte[] randomBytes(long length, java.util.Random random) {
		if (Long.compareUnsigned(length, MAX_RANDOM_BYTES) > 0) {
			throw new AbiViolationException("get-random-bytes of " + Long.toUnsignedString(length)
					+ " bytes exceeds the host's limit of " + MAX_RANDOM_BYTES + " bytes per call");
		}
		byte[] bytes = new byte[(int) length];
		random.nextBytes(bytes);
		return bytes;
	}

	/**
	 * Wait until at least one pollable is ready, never past the call's deadline; the
	 * indexes of those ready.
	 */
	private static List<Long> await(PluginHostContext context, List<?> pollables, String function) {
		if (pollables.isEmpty()) {
			throw new AbiViolationException("wasi:io/poll " + function + " was given no pollables");
		}
		Duration remaining = GuestCallState.remaining();
		if (remaining == null) {
			throw new GuestTrapException(TrapKind.DEADLINE,
					"plugin '" + context.plugin() + "' tried to wait in wasi:io/poll outside a call", null);
		}
		long deadline = WasiResources.monotonicNow() + Math.max(0, remaining.toNanos());
		while (true) {
			long now = WasiResources.monotonicNow();
			List<Long> ready = new ArrayList<>();
			long earliest = -1L;
			for (int i = 0; i < pollables.size(); i++) {
				WasiResources.Pollable pollable = (WasiResources.Pollable) pollables.get(i);
				if (pollable.ready(now)) {
					ready.add((long) i);
				}
				else if (Long.compareUnsigned(pollable.readyAt(), earliest) < 0) {
					earliest = pollable.readyAt();
				}
			}
			if (!ready.isEmpty()) {
				return ready;
			}
			if (now - deadline >= 0) {
				throw new GuestTrapException(TrapKind.DEADLINE, "plugin '" + context.plugin() + "' waited in wasi:io/poll "
						+ function + " until its call's deadline and nothing became ready", null);
			}
			long wake = (Long.compareUnsigned(earliest, deadline) < 0) ? earliest : deadline;
			try {
				Thread.sleep(Math.max(1, (wake - now) / 1_000_000), (int) Math.max(0, (wake - now) % 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw GuestTrapException.cancelled(context.plugin(), "wasi:io/poll " + function, ex);
			}
		}
	}

	private static boolean isDescriptorFunction(String name) {
		return name.startsWith("[method]descriptor.") || name.startsWith("[method]directory-entry-stream.")
				|| name.equals("[resource-drop]descriptor") || name.equals("[resource-drop]directory-entry-stream");
	}

	/**
	 * A {@code wasi:filesystem/types} function on a descriptor (or a directory stream, which
	 * only a descriptor yields). Its first core parameter is the handle; with no preopens
	 * the table never holds one, so the call traps on it, whatever the rest.
	 */
	private static HostFunction descriptorFunction(String name, FunctionType type) {
		if (type.params().isEmpty() || type.params().get(0) != ValueType.I32) {
			throw new InvalidPluginException("WASI import 'wasi:filesystem/types' '" + name + "' has type " + type
					+ ", expected a descriptor handle (i32) first");
		}
		WitType.HandleType handle = borrow(name.contains("directory-entry-stream") ? DIRECTORY_ENTRY_STREAM : DESCRIPTOR);
		return HostFunction.of(type, (caller, args) -> {
			GuestCallState.handles().lift(handle, (int) args[0]);
			throw new AbiViolationException("wasi:filesystem/types " + name + " reached a " + handle.resource()
					+ " this host never hands out");
		});
	}

}
