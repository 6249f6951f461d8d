package io.github.grain.plugin.tool;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.github.grain.plugin.engine.CallPermits;
import io.github.grain.plugin.engine.PluginBusyException;
import io.github.grain.plugin.engine.UntrustedText;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ToolRegistry}: a concurrent map of tools with their compiled schemas, a
 * bounded executor, and a fixed number of call slots: at most that many calls run at
 * once, wherever they run. A call made from a tool that is already running runs inline,
 * so tools may call tools without exhausting the slots.
 * <p>
 * <b>Deadlines.</b> A tool that does not bound its own time ({@link Tool#hasOwnDeadline()}:
 * every tool but a WebAssembly one, whose guest the engine stops) runs under the
 * registry's call timeout, always on one of the executor's threads. At the deadline the
 * caller gets an error result, the thread is interrupted, and the call's slot is released
 * whether or not the method ever returns. Such an abandoned thread is counted
 * ({@link #abandonedThreads()}), logged at WARN, and replaced by a new executor thread (up to
 * as many as there are slots; beyond that each one left behind costs the executor a thread)
 * until it returns. A tool with half as many abandoned calls as there are slots (at least
 * one) is refused at once until one of them returns, so one tool that hangs cannot take
 * every thread. A synchronous {@link #call} of a tool with its own deadline runs on the
 * caller's thread when a slot is free (its thread blocks anyway; handing it to another
 * thread and waiting costs ~20 µs a call and loses the caller's thread-bound context),
 * otherwise it waits in the executor's queue like an asynchronous call.
 * <p>
 * Every call, refused or run, is reported to the {@link ToolCallObserver} (none by
 * default) with its {@link ToolCallOutcome}.
 * <p>
 * Closing the registry shuts its executor down.
 */
public final class DefaultToolRegistry implements ToolRegistry, AutoCloseable {

	private static final Log logger = LogFactory.getLog(DefaultToolRegistry.class);

	/** The default limit of a call's arguments: 1 MiB of JSON. */
	public static final long DEFAULT_MAX_ARGUMENTS_BYTES = 1024 * 1024;

	private static final ThreadLocal<Boolean> IN_TOOL_CALL = ThreadLocal.withInitial(() -> Boolean.FALSE);

	private final Map<String, Entry> tools = new ConcurrentHashMap<>();

	/** Guards changes to the tools, the version and the delivery of change events, so listeners see them in order. */
	private final Object registration = new Object();

	private volatile long version;

	private final List<ToolRegistryListener> listeners = new CopyOnWriteArrayList<>();

	private final ObjectMapper mapper;

	private final ToolArgumentValidator validator;

	private final ExecutorService executor;

	/** One permit per call that may run at once, on a caller's thread or the executor's. */
	private final Semaphore slots;

	private final int slotCount;

	/** Abandoned calls one tool may have before it is refused: half the slots, at least one. */
	private final int maxAbandonedPerTool;

	private final ToolApprovalHandler approvalHandler;

	private final SandboxPolicy sandbox;

	private final BooleanSupplier callerMayBlock;

	private final Clock clock;

	private final ToolCallObserver observer;

	/** The deadline of tools without one of their own; {@code null}: none. */
	private final @Nullable Duration callTimeout;

	private final long maxArgumentsBytes;

	private final ScheduledExecutorService deadlines;

	/** Threads running a call past its deadline, not yet returned. */
	private final AtomicInteger abandoned = new AtomicInteger();

	private final AtomicLong abandonedTotal = new AtomicLong();

	/** Threads added to the executor in place of abandoned ones. */
	private int replacements;

	private final @Nullable CallRateLimiter rateLimiter;

	private DefaultToolRegistry(Builder builder) {
		this.mapper = builder.mapper;
		this.validator = new ToolArgumentValidator(builder.mapper);
		this.executor = (builder.executor != null) ? builder.executor : newExecutor(4, 64);
		this.slotCount = slotsFor(builder.maxConcurrentCalls, this.executor);
		this.slots = new Semaphore(this.slotCount, true);
		this.maxAbandonedPerTool = Math.max(1, this.slotCount / 2);
		this.approvalHandler = builder.approvalHandler;
		this.sandbox = builder.sandbox;
		this.callerMayBlock = builder.callerMayBlock;
		this.clock = builder.clock;
		this.observer = builder.observer;
		this.callTimeout = builder.callTimeout;
		this.maxArgumentsBytes = builder.maxArgumentsBytes;
		ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "grain-tool-deadlines");
			thread.setDaemon(true);
			return thread;
		});
		deadlines.setRemoveOnCancelPolicy(true);
		this.deadlines = deadlines;
		this.rateLimiter = builder.rateLimiter;
	}

	/** As many slots as asked for, else as the executor has threads (4 when it does not say). */
	private static int slotsFor(@Nullable Integer asked, ExecutorService executor) {
		if (asked != null) {
			return asked;
		}
		return (executor instanceof ThreadPoolExecutor pool) ? pool.getMaximumPoolSize() : 4;
	}

	/**
	 * A builder with defaults: 4 threads and 4 call slots, 64 queued calls, a call timeout of
	 * 10 s, arguments up to 1 MiB, approve all, no sandbox root.
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * A bounded executor for tool calls: {@code threads} daemon threads named
	 * {@code grain-tool-N}, at most {@code queueCapacity} calls waiting; beyond that a call
	 * is refused with an error result.
	 * @param threads the number of threads
	 * @param queueCapacity the number of calls that may wait
	 * @return the executor
	 */
	public static ExecutorService newExecutor(int threads, int queueCapacity) {
		if (threads < 1 || queueCapacity < 1) {
			throw new IllegalArgumentException(
					"threads and queue capacity must be positive: " + threads + ", " + queueCapacity);
		}
		AtomicInteger counter = new AtomicInteger();
		ThreadFactory factory = (runnable) -> {
			Thread thread = new Thread(runnable, "grain-tool-" + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueCapacity),
				factory, new ThreadPoolExecutor.AbortPolicy());
	}

	@Override
	public List<ToolDefinition> definitions() {
		return this.tools.values()
			.stream()
			.map((entry) -> entry.definition)
			.sorted(Comparator.comparing(ToolDefinition::name))
			.toList();
	}

	@Override
	public Optional<ToolDefinition> definition(String name) {
		return Optional.ofNullable(this.tools.get(name)).map((entry) -> entry.definition);
	}

	@Override
	public Optional<Tool> tool(String name) {
		return Optional.ofNullable(this.tools.get(name)).map((entry) -> entry.tool);
	}

	@Override
	public void register(Tool tool) {
		ToolDefinition definition = tool.definition();
		ToolArgumentValidator.CompiledSchema schema = this.validator.compile(definition);
		synchronized (this.registration) {
			Entry existing = this.tools.get(definition.name());
			if (existing != null) {
				throw new DuplicateToolException(definition.name(), existing.definition.source(), definition.source());
			}
			this.tools.put(definition.name(), new Entry(tool, definition, schema, new AtomicInteger()));
			changed(new ToolRegistryChange.Registered(definition, ++this.version));
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Registered tool '" + definition.name() + "' from " + definition.source());
		}
	}

	@Override
	public void registerAll(Collection<? extends Tool> tools) {
		Map<String, Entry> batch = compile(tools);
		synchronized (this.registration) {
			for (Entry entry : batch.values()) {
				Entry existing = this.tools.get(entry.definition.name());
				if (existing != null) {
					throw new DuplicateToolException(entry.definition.name(), existing.definition.source(),
							entry.definition.source());
				}
			}
			for (Entry entry : batch.values()) {
				this.tools.put(entry.definition.name(), entry);
				changed(new ToolRegistryChange.Registered(entry.definition, ++this.version));
			}
		}
	}

	/** Entries for tools registered together; a name twice among them is a duplicate. */
	private Map<String, Entry> compile(Collection<? extends Tool> tools) {
		Map<String, Entry> batch = new LinkedHashMap<>();
		for (Tool tool : tools) {
			ToolDefinition definition = tool.definition();
			Entry earlier = batch.get(definition.name());
			if (earlier != null) {
				throw new DuplicateToolException(definition.name(), earlier.definition.source(), definition.source());
			}
			batch.put(definition.name(),
					new Entry(tool, definition, this.validator.compile(definition), new AtomicInteger()));
		}
		return batch;
	}

	@Override
	public void replace(String source, Collection<? extends Tool> tools) {
		Map<String, Entry> next = compile(tools);
		synchronized (this.registration) {
			for (Entry entry : next.values()) {
				Entry existing = this.tools.get(entry.definition.name());
				if (existing != null && !existing.definition.source().equals(source)) {
					throw new DuplicateToolException(entry.definition.name(), existing.definition.source(),
							entry.definition.source());
				}
			}
			// new entries first, then the leftovers: a name never resolves to nothing meanwhile
			for (Entry entry : next.values()) {
				Entry previous = this.tools.put(entry.definition.name(), entry);
				if (previous != null) {
					changed(new ToolRegistryChange.Unregistered(previous.definition, ++this.version));
				}
				changed(new ToolRegistryChange.Registered(entry.definition, ++this.version));
			}
			for (Entry entry : List.copyOf(this.tools.values())) {
				if (entry.definition.source().equals(source) && !next.containsKey(entry.definition.name())) {
					this.tools.remove(entry.definition.name());
					changed(new ToolRegistryChange.Unregistered(entry.definition, ++this.version));
				}
			}
		}
	}

	@Override
	public Optional<Tool> unregister(String name) {
		Entry removed;
		synchronized (this.registration) {
			removed = this.tools.remove(name);
			if (removed != null) {
				changed(new ToolRegistryChange.Unregistered(removed.definition, ++this.version));
			}
		}
		return Optional.ofNullable(removed).map((entry) -> entry.tool);
	}

	@Override
	public long version() {
		return this.version;
	}

	@Override
	public ListenerRegistration addListener(ToolRegistryListener listener) {
		Objects.requireNonNull(listener, "listener");
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

	/** Under the registration lock: the listeners see changes one at a time, in order. */
	private void changed(ToolRegistryChange change) {
		for (ToolRegistryListener listener : this.listeners) {
			try {
				listener.onChange(change);
			}
			catch (RuntimeException ex) {
				logger.warn("Tool registry listener " + listener + " failed on " + change, ex);
			}
		}
	}

	@Override
	public ToolResult call(String name, String argumentsJson, Map<String, ?> attributes) {
		Entry entry = entry(name);
		ToolResult tooLarge = tooLarge(entry, utf8Length(argumentsJson));
		return (tooLarge != null) ? tooLarge : callAndWait(entry, () -> parse(argumentsJson), Map.copyOf(attributes));
	}

	@Override
	public ToolResult call(String name, JsonNode arguments, Map<String, ?> attributes) {
		Entry entry = entry(name);
		ToolResult tooLarge = tooLarge(entry, jsonLength(arguments));
		return (tooLarge != null) ? tooLarge : callAndWait(entry, () -> Parsed.of(arguments), Map.copyOf(attributes));
	}

	@Override
	public CompletableFuture<ToolResult> callAsync(String name, String argumentsJson) {
		Entry entry = this.tools.get(name);
		if (entry == null) {
			return CompletableFuture.failedFuture(new UnknownToolException(name));
		}
		ToolResult tooLarge = tooLarge(entry, utf8Length(argumentsJson));
		return (tooLarge != null) ? CompletableFuture.completedFuture(tooLarge)
				: submitLimited(entry, () -> parse(argumentsJson), Map.of(),
						ObservedToolCall.start(this.observer, entry.definition));
	}

	@Override
	public CompletableFuture<ToolResult> callAsync(String name, JsonNode arguments, Map<String, ?> attributes) {
		Entry entry = this.tools.get(name);
		if (entry == null) {
			return CompletableFuture.failedFuture(new UnknownToolException(name));
		}
		ToolResult tooLarge = tooLarge(entry, jsonLength(arguments));
		return (tooLarge != null) ? CompletableFuture.completedFuture(tooLarge)
				: submitLimited(entry, () -> Parsed.of(arguments), Map.copyOf(attributes),
						ObservedToolCall.start(this.observer, entry.definition));
	}

	/** The most bytes of JSON a call's arguments may take. */
	public long maxArgumentsBytes() {
		return this.maxArgumentsBytes;
	}

	/** An error result for arguments over the limit, {@code null} for arguments within it. */
	private @Nullable ToolResult tooLarge(Entry entry, long bytes) {
		if (bytes <= this.maxArgumentsBytes) {
			return null;
		}
		// refused before it runs, like arguments that do not match the schema
		return ObservedToolCall.start(this.observer, entry.definition)
			.stop(ToolCallOutcome.INVALID_ARGUMENTS, null,
					ToolResult.error("the arguments of tool '" + entry.definition.name() + "' take " + bytes
							+ " bytes of JSON, more than the limit of " + this.maxArgumentsBytes + " bytes"));
	}

	/** UTF-8 bytes of the text, counted without encoding it. */
	private static long utf8Length(@Nullable String text) {
		if (text == null) {
			return 0;
		}
		long bytes = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				bytes++;
			}
			else if (c < 0x800) {
				bytes += 2;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				bytes += 4;
				i++;
			}
			else {
				bytes += 3;
			}
		}
		return bytes;
	}

	/** Bytes of the value written as compact JSON (counted, never held); {@code null} is written as such. */
	private long jsonLength(@Nullable JsonNode arguments) {
		CountingStream counter = new CountingStream();
		try {
			this.mapper.writeValue(counter, arguments);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("arguments cannot be written as JSON", ex);
		}
		return counter.count;
	}

	/** Counts the bytes written to it (OutputStream writes an array a byte at a time). */
	private static final class CountingStream extends OutputStream {

		private long count;

		@Override
		public void write(int b) {
			this.count++;
		}

	}

	/** A call from outside a tool: counted against its caller's rate before it is queued. */
	private CompletableFuture<ToolResult> submitLimited(Entry entry, ArgumentSource arguments,
			Map<String, Object> attributes, ObservedToolCall observed) {
		ToolResult overRate = overRate(entry, attributes, observed);
		return (overRate != null) ? CompletableFuture.completedFuture(overRate)
				: submit(entry, arguments, attributes, observed);
	}

	/**
	 * The busy result for a caller over its rate, {@code null} when the call may go ahead
	 * (or no limiter is set). Calls a running tool makes are not counted: the call that
	 * started it was.
	 */
	private @Nullable ToolResult overRate(Entry entry, Map<String, Object> attributes, ObservedToolCall observed) {
		if (this.rateLimiter == null) {
			return null;
		}
		Optional<String> caller = ToolContext.principalOf(attributes);
		long retryAfterMs = this.rateLimiter.tryAcquire(caller.orElse(null));
		if (retryAfterMs == 0) {
			return null;
		}
		String who = caller.map((name) -> "caller '" + name + "'").orElse("anonymous callers");
		return observed.stop(ToolCallOutcome.BUSY, null,
				ToolResult.busy("too many tool calls from " + who + " (at most " + this.rateLimiter.callsPerSecond()
						+ " a second, " + this.rateLimiter.burst() + " at once); the call to tool '"
						+ entry.definition.name() + "' was not run; try again in " + retryAfterMs + " ms",
						retryAfterMs));
	}

	private ToolResult callAndWait(Entry entry, ArgumentSource arguments, Map<String, Object> attributes) {
		ObservedToolCall observed = ObservedToolCall.start(this.observer, entry.definition);
		if (IN_TOOL_CALL.get()) {
			return invoke(entry, arguments, attributes, observed, null);
		}
		if (!this.callerMayBlock.getAsBoolean()) {
			IllegalStateException refused = new IllegalStateException("ToolRegistry.call blocks and cannot run on "
					+ "thread '" + Thread.currentThread().getName() + "'; use callAsync");
			observed.stop(ToolCallOutcome.ERROR, refused);
			throw refused;
		}
		ToolResult overRate = overRate(entry, attributes, observed);
		if (overRate != null) {
			return overRate;
		}
		// Queued calls waiting for a slot go first: a synchronous caller takes a free slot only when none waits,
		// and only with the tool's own permit in hand (waiting for that holds no slot: it waits as a queued call).
		// A call under the registry's deadline runs on the executor, so that its caller can be answered at the deadline.
		CallPermits.Permit permit = hasDeadline(entry) ? null : entry.tool.permits().tryAcquire();
		if (permit != null && !this.slots.hasQueuedThreads() && this.slots.tryAcquire()) {
			IN_TOOL_CALL.set(Boolean.TRUE);
			try {
				return permit.run(() -> invoke(entry, arguments, attributes, observed, null));
			}
			finally {
				IN_TOOL_CALL.remove();
				this.slots.release();
				permit.close();
			}
		}
		if (permit != null) {
			permit.close();
		}
		CompletableFuture<ToolResult> call = submit(entry, arguments, attributes, observed);
		try {
			return call.get();
		}
		catch (InterruptedException ex) {
			call.cancel(true);
			Thread.currentThread().interrupt();
			return ToolResult.error("the call to tool '" + entry.definition.name() + "' was interrupted");
		}
		catch (CancellationException ex) {
			return ToolResult.error("the call to tool '" + entry.definition.name() + "' was cancelled");
		}
		catch (ExecutionException ex) {
			throw rethrow(ex.getCause());
		}
	}

	/**
	 * Run a call on the executor once the tool's permit is given: a call waiting for a busy
	 * plugin waits in that plugin's line, not on one of the threads.
	 */
	private CompletableFuture<ToolResult> submit(Entry entry, ArgumentSource arguments, Map<String, Object> attributes,
			ObservedToolCall observed) {
		RunningCall future = new RunningCall(observed);
		CompletableFuture<CallPermits.Permit> admission = entry.tool.permits().acquire();
		// a call cancelled while it waits leaves the line
		future.whenComplete((result, failure) -> admission.cancel(false));
		admission.whenComplete((permit, failure) -> {
			if (permit != null) {
				execute(entry, arguments, attributes, future, permit);
			}
			else if (failure instanceof PluginBusyException busy) {
				future.complete(observed.stop(ToolCallOutcome.BUSY, busy,
						ToolResult.busy(busy.getMessage(), busy.retryAfter())));
			}
			// else the call was cancelled while it waited: CallPermits fails a wait in no other way
		});
		return future;
	}

	private void execute(Entry entry, ArgumentSource arguments, Map<String, Object> attributes, RunningCall future,
			CallPermits.Permit permit) {
		try {
			this.executor.execute(() -> {
				if (!future.start()) {
					permit.close();
					return;
				}
				IN_TOOL_CALL.set(Boolean.TRUE);
				try {
					this.slots.acquire();
					future.holdSlot();
					ToolResult result = permit.run(() -> invoke(entry, arguments, attributes, future.observed, future));
					// returned before the caller hears of the result: its next call finds the permit free
					permit.close();
					future.complete(result);
				}
				catch (InterruptedException ex) {
					// cancelled while waiting for a slot, or the registry is closing
					permit.close();
					future.cancel(false);
				}
				catch (Throwable ex) {
					permit.close();
					future.completeExceptionally(ex);
				}
				finally {
					if (future.releaseSlot()) {
						this.slots.release();
					}
					IN_TOOL_CALL.remove();
					if (future.finish()) {
						returnedAfterAbandonment(entry);
					}
				}
			});
		}
		catch (RejectedExecutionException ex) {
			permit.close();
			future.complete(future.observed.stop(ToolCallOutcome.BUSY, ex,
					ToolResult.error("the host is busy with other tool calls; try again later")));
		}
	}

	/**
	 * A call's future: cancelling it interrupts the thread running the call, which stops
	 * a guest (see {@code GuestTrapException#isCancellation()}) and a {@code @GrainTool}
	 * method that honours interruption. The interrupt never reaches the thread's next task.
	 */
	static final class RunningCall extends CompletableFuture<ToolResult> {

		private final ObservedToolCall observed;

		/** The thread running the call, from its start until it finishes. */
		private @Nullable Thread runner;

		private boolean abandoned;

		private final AtomicBoolean slot = new AtomicBoolean();

		RunningCall(ObservedToolCall observed) {
			this.observed = observed;
		}

		/** On the executor's thread, before the call; false when cancelled while queued. */
		synchronized boolean start() {
			if (isDone()) {
				return false;
			}
			this.runner = Thread.currentThread();
			return true;
		}

		void holdSlot() {
			this.slot.set(true);
		}

		/** Whether the caller should release the slot: true once, to whoever asks first. */
		boolean releaseSlot() {
			return this.slot.compareAndSet(true, false);
		}

		/**
		 * At the deadline (which the call cancels when its tool returns): abandon the call,
		 * answer and count it while its thread cannot finish yet (so a return right now is too
		 * late and counted after it), then interrupt the thread.
		 * @param counting what to count, given the thread left running the call
		 */
		synchronized void abandon(Consumer<Thread> counting) {
			Thread thread = this.runner;
			// finished just as the deadline fired, before its cancellation
			if (thread == null) {
				return;
			}
			this.abandoned = true;
			counting.accept(thread);
			thread.interrupt();
		}

		/**
		 * On the executor's thread, after the call: clears an interrupt meant for it.
		 * @return whether the call had been abandoned
		 */
		boolean finish() {
			boolean wasAbandoned;
			synchronized (this) {
				this.runner = null;
				wasAbandoned = this.abandoned;
			}
			Thread.interrupted();
			return wasAbandoned;
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			boolean cancelled = super.cancel(mayInterruptIfRunning);
			if (cancelled) {
				// the caller stops waiting now, whenever the interrupted tool gets to return
				this.observed.stop(ToolCallOutcome.CANCELLED, null);
				synchronized (this) {
					if (this.runner != null) {
						this.runner.interrupt();
					}
				}
			}
			return cancelled;
		}

		@Override
		public <U> CompletableFuture<U> newIncompleteFuture() {
			return new CompletableFuture<>();
		}

	}

	private boolean hasDeadline(Entry entry) {
		return this.callTimeout != null && !entry.tool.hasOwnDeadline();
	}

	/**
	 * The threads running calls past their deadline, interrupted but not yet returned. A
	 * gauge for metrics; each one was also logged at WARN.
	 */
	public int abandonedThreads() {
		return this.abandoned.get();
	}

	/** The calls abandoned at their deadline since the registry was built. */
	public long abandonedCalls() {
		return this.abandonedTotal.get();
	}

	/** The deadline of tools that have none of their own, empty when there is none. */
	public Optional<Duration> callTimeout() {
		return Optional.ofNullable(this.callTimeout);
	}

	private void abandon(RunningCall call, Entry entry, Duration timeout) {
		ToolDefinition definition = entry.definition;
		ToolResult answer = ToolResult.error("tool '" + definition.name() + "' did not answer within its call timeout of "
				+ timeout.toMillis() + " ms; the call is abandoned");
		call.abandon((runner) -> {
			if (call.releaseSlot()) {
				this.slots.release();
			}
			entry.abandoned.incrementAndGet();
			int now = this.abandoned.incrementAndGet();
			this.abandonedTotal.incrementAndGet();
			boolean replaced = addThread();
			logger.warn(UntrustedText.forLog("Tool '" + definition.name() + "' from " + definition.source()
					+ " did not return within its call timeout of " + timeout.toMillis() + " ms; its thread '"
					+ runner.getName() + "' is abandoned and interrupted (" + now + " abandoned now"
					+ (replaced ? "; a new thread takes its place" : "; no thread takes its place")
					+ "), and the caller is answered with an error"));
			// counted, logged, then answered, all before the thread is interrupted: whatever it returns now is too late
			call.complete(call.observed.stop(ToolCallOutcome.TIMEOUT, null, answer));
		});
	}

	private void returnedAfterAbandonment(Entry entry) {
		entry.abandoned.decrementAndGet();
		int now = this.abandoned.decrementAndGet();
		removeThread();
		logger.info(UntrustedText.forLog("Tool '" + entry.definition.name() + "' returned after its call was abandoned; "
				+ "its thread is back (" + now + " abandoned now)"));
	}

	/**
	 * Grow the executor by a thread for an abandoned one, while no more threads are
	 * abandoned than there are slots.
	 * @return whether a thread was added
	 */
	private synchronized boolean addThread() {
		if (!(this.executor instanceof ThreadPoolExecutor pool) || this.abandoned.get() > this.slotCount) {
			return false;
		}
		this.replacements++;
		pool.setMaximumPoolSize(pool.getMaximumPoolSize() + 1);
		pool.setCorePoolSize(pool.getCorePoolSize() + 1);
		return true;
	}

	/** Shrink the executor back by a thread once fewer threads are abandoned than were added. */
	private synchronized void removeThread() {
		if (this.abandoned.get() >= this.replacements) {
			return;
		}
		// only a ThreadPoolExecutor was ever given a thread
		ThreadPoolExecutor pool = (ThreadPoolExecutor) this.executor;
		this.replacements--;
		pool.setCorePoolSize(pool.getCorePoolSize() - 1);
		pool.setMaximumPoolSize(pool.getMaximumPoolSize() - 1);
	}

	/** Run a call on the current thread, in its observation's scope. */
	private ToolResult invoke(Entry entry, ArgumentSource source, Map<String, Object> attributes,
			ObservedToolCall observed, @Nullable RunningCall call) {
		try (ToolCallObserver.Scope scope = observed.openScope()) {
			return run(entry, source, attributes, observed, call);
		}
		catch (RuntimeException | Error ex) {
			observed.stop(ToolCallOutcome.ofFailure(ex), ex);
			throw ex;
		}
	}

	private ToolResult run(Entry entry, ArgumentSource source, Map<String, Object> attributes,
			ObservedToolCall observed, @Nullable RunningCall call) {
		ToolDefinition definition = entry.definition;
		int stuck = entry.abandoned.get();
		if (stuck >= this.maxAbandonedPerTool) {
			// a tool that hangs may not take every thread: it waits until one of its calls returns
			return observed.stop(ToolCallOutcome.BUSY, null, ToolResult.error("tool '" + definition.name() + "' has "
					+ stuck + " call(s) still running past their deadline, its limit; it is not called again until "
					+ "one returns"));
		}
		Parsed parsed = source.get();
		if (parsed.error != null) {
			return observed.stop(ToolCallOutcome.INVALID_ARGUMENTS, null,
					ToolResult.invalidArguments("the arguments are not valid JSON", List.of(parsed.error)));
		}
		JsonNode arguments = Objects.requireNonNull(parsed.value);
		if (!arguments.isObject()) {
			return observed.stop(ToolCallOutcome.INVALID_ARGUMENTS, null, ToolResult.invalidArguments(
					"the arguments must be a JSON object",
					List.of("$: " + arguments.getNodeType().name().toLowerCase(Locale.ROOT) + " found, object expected")));
		}
		List<String> violations = entry.schema.validate(arguments);
		if (!violations.isEmpty()) {
			return observed.stop(ToolCallOutcome.INVALID_ARGUMENTS, null, ToolResult.invalidArguments(
					"the arguments do not match the parameters schema of tool '" + definition.name() + "'", violations));
		}
		String callId = UUID.randomUUID().toString();
		if (!definition.readOnly()) {
			ToolApprovalDecision decision;
			try {
				decision = this.approvalHandler
					.decide(new ToolApprovalRequest(callId, definition, arguments, this.clock.instant(), attributes));
			}
			catch (RuntimeException ex) {
				logger.warn("Approval of a call to tool '" + definition.name() + "' failed", ex);
				return observed.stop(ToolCallOutcome.DENIED, ex,
						ToolResult.error("the call to tool '" + definition.name() + "' could not be approved"));
			}
			if (decision == null || !decision.approved()) {
				String reason = (decision != null) ? decision.reason() : "no decision";
				return observed.stop(ToolCallOutcome.DENIED, null,
						ToolResult.error("the call to tool '" + definition.name() + "' was not approved: " + reason));
			}
		}
		ToolContext context = new ToolContext(definition.name(), callId, this.sandbox, attributes);
		Duration timeout = this.callTimeout;
		ScheduledFuture<?> deadline = (call != null && timeout != null && hasDeadline(entry))
				? this.deadlines.schedule(() -> abandon(call, entry, timeout), timeout.toNanos(), TimeUnit.NANOSECONDS)
				: null;
		ObservedToolCall outer = observed.enter();
		try {
			ToolResult result = entry.tool.call(arguments, context);
			return observed.answered(
					(result != null) ? result : ToolResult.error("tool '" + definition.name() + "' returned no result"));
		}
		catch (RuntimeException ex) {
			logger.warn(UntrustedText.forLog("Tool '" + definition.name() + "' from " + definition.source() + " failed: " + ex));
			return observed.stop(ToolCallOutcome.ofFailure(ex), ex, ToolResult.error(MethodTool.describe(ex)));
		}
		finally {
			ObservedToolCall.exit(outer);
			if (deadline != null) {
				deadline.cancel(false);
			}
		}
	}

	private Entry entry(String name) {
		Entry entry = this.tools.get(name);
		if (entry == null) {
			throw new UnknownToolException(name);
		}
		return entry;
	}

	private Parsed parse(@Nullable String argumentsJson) {
		if (argumentsJson == null || argumentsJson.isBlank()) {
			return Parsed.of(this.mapper.createObjectNode());
		}
		try {
			return Parsed.of(this.mapper.readTree(argumentsJson));
		}
		catch (JsonProcessingException ex) {
			return new Parsed(null, ex.getOriginalMessage() + locationOf(ex));
		}
	}

	private static String locationOf(JsonProcessingException ex) {
		return (ex.getLocation() != null)
				? " (line " + ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr() + ")" : "";
	}

	/** What a call on the executor failed with (the future's own failure, never wrapped), to throw to its caller. */
	private static RuntimeException rethrow(Throwable failure) {
		if (failure instanceof Error error) {
			throw error;
		}
		return (failure instanceof RuntimeException runtime) ? runtime : new ToolException("tool call failed", failure);
	}

	@Override
	public void close() {
		this.deadlines.shutdownNow();
		this.executor.shutdown();
		try {
			if (!this.executor.awaitTermination(5, TimeUnit.SECONDS)) {
				this.executor.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			this.executor.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * A registered tool.
	 * @param abandoned its calls abandoned at their deadline whose threads have not returned
	 */
	private record Entry(Tool tool, ToolDefinition definition, ToolArgumentValidator.CompiledSchema schema,
			AtomicInteger abandoned) {
	}

	@FunctionalInterface
	private interface ArgumentSource {

		Parsed get();

	}

	private record Parsed(@Nullable JsonNode value, @Nullable String error) {

		static Parsed of(@Nullable JsonNode value) {
			return new Parsed((value != null) ? value : NullNode.getInstance(), null);
		}

	}

	/**
	 * Builds a {@link DefaultToolRegistry}.
	 */
	public static final class Builder {

		private ObjectMapper mapper = ToolJson.newMapper();

		private @Nullable ExecutorService executor;

		private @Nullable Integer maxConcurrentCalls;

		private ToolApprovalHandler approvalHandler = ToolApprovalHandler.approveAll();

		private SandboxPolicy sandbox = SandboxPolicy.denyAll();

		private BooleanSupplier callerMayBlock = () -> true;

		private Clock clock = Clock.systemUTC();

		private ToolCallObserver observer = ToolCallObserver.NONE;

		private @Nullable Duration callTimeout = Duration.ofSeconds(10);

		private long maxArgumentsBytes = DEFAULT_MAX_ARGUMENTS_BYTES;

		private @Nullable CallRateLimiter rateLimiter;

		private Builder() {
		}

		/** The JSON mapper for arguments. */
		public Builder mapper(ObjectMapper mapper) {
			this.mapper = Objects.requireNonNull(mapper);
			return this;
		}

		/** The executor that runs calls (bounded; shut down when the registry closes). */
		public Builder executor(ExecutorService executor) {
			this.executor = Objects.requireNonNull(executor);
			return this;
		}

		/**
		 * How many calls may run at once, on callers' threads and the executor's together;
		 * by default as many as the executor has threads.
		 */
		public Builder maxConcurrentCalls(int calls) {
			if (calls < 1) {
				throw new IllegalArgumentException("maxConcurrentCalls must be positive: " + calls);
			}
			this.maxConcurrentCalls = calls;
			return this;
		}

		/** Who decides calls to tools that are not read-only. */
		public Builder approvalHandler(ToolApprovalHandler approvalHandler) {
			this.approvalHandler = Objects.requireNonNull(approvalHandler);
			return this;
		}

		/** The sandbox given to tools in their {@link ToolContext}. */
		public Builder sandbox(SandboxPolicy sandbox) {
			this.sandbox = Objects.requireNonNull(sandbox);
			return this;
		}

		/**
		 * Whether the current thread may block in {@link ToolRegistry#call}; a Reactor
		 * application answers {@code false} on event-loop threads.
		 */
		public Builder callerMayBlock(BooleanSupplier callerMayBlock) {
			this.callerMayBlock = Objects.requireNonNull(callerMayBlock);
			return this;
		}

		/** The clock stamping approval requests. */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock);
			return this;
		}

		/** Who watches every call (metrics, traces); none by default. */
		public Builder observer(ToolCallObserver observer) {
			this.observer = Objects.requireNonNull(observer);
			return this;
		}

		/**
		 * The deadline of every call to a tool that has none of its own (see
		 * {@link Tool#hasOwnDeadline()}); {@code null} for none, which lets a synchronous call
		 * of such a tool run on the caller's thread. Default 10 s.
		 */
		public Builder callTimeout(@Nullable Duration callTimeout) {
			if (callTimeout != null && (callTimeout.isZero() || callTimeout.isNegative())) {
				throw new IllegalArgumentException("callTimeout must be positive: " + callTimeout);
			}
			this.callTimeout = callTimeout;
			return this;
		}

		/**
		 * The most bytes of JSON a call's arguments may take (as text, or as a value written
		 * compactly); a larger call is answered with an error result and never runs. Default
		 * 1 MiB.
		 */
		public Builder maxArgumentsBytes(long bytes) {
			if (bytes < 2) {
				throw new IllegalArgumentException("maxArgumentsBytes must leave room for '{}': " + bytes);
			}
			this.maxArgumentsBytes = bytes;
			return this;
		}

		/**
		 * Limit each caller's rate of calls (see {@link CallRateLimiter}); no limit by
		 * default.
		 */
		public Builder rateLimiter(CallRateLimiter rateLimiter) {
			this.rateLimiter = Objects.requireNonNull(rateLimiter);
			return this;
		}

		public DefaultToolRegistry build() {
			return new DefaultToolRegistry(this);
		}

	}

}
