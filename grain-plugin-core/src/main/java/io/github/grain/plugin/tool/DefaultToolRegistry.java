package io.github.grain.plugin.tool;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.github.grain.plugin.engine.UntrustedText;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ToolRegistry}: a concurrent map of tools with their compiled schemas, a
 * bounded executor, and a fixed number of call slots: at most that many calls run at
 * once, wherever they run. A synchronous {@link #call} runs on the caller's thread when a
 * slot is free (its thread blocks anyway; handing it to another thread and waiting cost
 * ~20 µs a call, ten times the registry's own work, and would lose the caller's
 * thread-bound context), otherwise it waits in the executor's queue like an asynchronous
 * call. A call made from a tool that is already running runs inline, so tools may call
 * tools without exhausting the slots.
 * <p>
 * Every call, refused or run, is reported to the {@link ToolCallObserver} (none by
 * default) with its {@link ToolCallOutcome}.
 * <p>
 * Closing the registry shuts its executor down.
 */
public final class DefaultToolRegistry implements ToolRegistry, AutoCloseable {

	private static final Log logger = LogFactory.getLog(DefaultToolRegistry.class);

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

	private final ToolApprovalHandler approvalHandler;

	private final SandboxPolicy sandbox;

	private final BooleanSupplier callerMayBlock;

	private final Clock clock;

	private final ToolCallObserver observer;

	private final @Nullable CallRateLimiter rateLimiter;

	private DefaultToolRegistry(Builder builder) {
		this.mapper = builder.mapper;
		this.validator = new ToolArgumentValidator(builder.mapper);
		this.executor = (builder.executor != null) ? builder.executor : newExecutor(4, 64);
		this.slots = new Semaphore(slotsFor(builder.maxConcurrentCalls, this.executor), true);
		this.approvalHandler = builder.approvalHandler;
		this.sandbox = builder.sandbox;
		this.callerMayBlock = builder.callerMayBlock;
		this.clock = builder.clock;
		this.observer = builder.observer;
		this.rateLimiter = builder.rateLimiter;
	}

	/** As many slots as asked for, else as the executor has threads (4 when it does not say). */
	private static int slotsFor(@Nullable Integer asked, ExecutorService executor) {
		if (asked != null) {
			return asked;
		}
		return (executor instanceof ThreadPoolExecutor pool) ? pool.getMaximumPoolSize() : 4;
	}

	/** A builder with defaults: 4 threads and 4 call slots, 64 queued calls, approve all, no sandbox root. */
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
			this.tools.put(definition.name(), new Entry(tool, definition, schema));
			changed(new ToolRegistryChange.Registered(definition, ++this.version));
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Registered tool '" + definition.name() + "' from " + definition.source());
		}
	}

	@Override
	public void replace(String source, java.util.Collection<? extends Tool> tools) {
		Map<String, Entry> next = new java.util.LinkedHashMap<>();
		for (Tool tool : tools) {
			ToolDefinition definition = tool.definition();
			next.put(definition.name(), new Entry(tool, definition, this.validator.compile(definition)));
		}
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
		Map<String, Object> copy = Map.copyOf(attributes);
		return callAndWait(entry, () -> parse(argumentsJson), copy);
	}

	@Override
	public ToolResult call(String name, JsonNode arguments, Map<String, ?> attributes) {
		Entry entry = entry(name);
		Map<String, Object> copy = Map.copyOf(attributes);
		return callAndWait(entry, () -> Parsed.of(arguments), copy);
	}

	@Override
	public CompletableFuture<ToolResult> callAsync(String name, String argumentsJson) {
		Entry entry = this.tools.get(name);
		if (entry == null) {
			return CompletableFuture.failedFuture(new UnknownToolException(name));
		}
		return submitLimited(entry, () -> parse(argumentsJson), Map.of(),
				ObservedToolCall.start(this.observer, entry.definition));
	}

	@Override
	public CompletableFuture<ToolResult> callAsync(String name, JsonNode arguments, Map<String, ?> attributes) {
		Entry entry = this.tools.get(name);
		if (entry == null) {
			return CompletableFuture.failedFuture(new UnknownToolException(name));
		}
		Map<String, Object> copy = Map.copyOf(attributes);
		return submitLimited(entry, () -> Parsed.of(arguments), copy,
				ObservedToolCall.start(this.observer, entry.definition));
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
			return invoke(entry, arguments, attributes, observed);
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
		// Queued calls waiting for a slot go first: a synchronous caller takes a free slot only when none waits.
		if (!this.slots.hasQueuedThreads() && this.slots.tryAcquire()) {
			IN_TOOL_CALL.set(Boolean.TRUE);
			try {
				return invoke(entry, arguments, attributes, observed);
			}
			finally {
				IN_TOOL_CALL.remove();
				this.slots.release();
			}
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

	private CompletableFuture<ToolResult> submit(Entry entry, ArgumentSource arguments, Map<String, Object> attributes,
			ObservedToolCall observed) {
		RunningCall future = new RunningCall(observed);
		try {
			this.executor.execute(() -> {
				if (!future.start()) {
					return;
				}
				IN_TOOL_CALL.set(Boolean.TRUE);
				boolean slot = false;
				try {
					this.slots.acquire();
					slot = true;
					future.complete(invoke(entry, arguments, attributes, observed));
				}
				catch (InterruptedException ex) {
					// cancelled while waiting for a slot: the future is already cancelled
					future.cancel(false);
				}
				catch (Throwable ex) {
					future.completeExceptionally(ex);
				}
				finally {
					if (slot) {
						this.slots.release();
					}
					IN_TOOL_CALL.remove();
					future.finish();
				}
			});
		}
		catch (RejectedExecutionException ex) {
			future.complete(observed.stop(ToolCallOutcome.BUSY, ex,
					ToolResult.error("the host is busy with other tool calls; try again later")));
		}
		return future;
	}

	/**
	 * A call's future: cancelling it interrupts the thread running the call, which stops
	 * a guest (see {@code GuestTrapException#isCancellation()}) and a {@code @GrainTool}
	 * method that honours interruption. The interrupt never reaches the thread's next task.
	 */
	static final class RunningCall extends CompletableFuture<ToolResult> {

		private final ObservedToolCall observed;

		private @Nullable Thread runner;

		private boolean finished;

		RunningCall(ObservedToolCall observed) {
			this.observed = observed;
		}

		/** On the executor's thread, before the call; false when cancelled while queued. */
		synchronized boolean start() {
			if (isDone()) {
				this.finished = true;
				return false;
			}
			this.runner = Thread.currentThread();
			return true;
		}

		/** On the executor's thread, after the call: clears an interrupt meant for it. */
		void finish() {
			synchronized (this) {
				this.runner = null;
				this.finished = true;
			}
			Thread.interrupted();
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			boolean cancelled = super.cancel(mayInterruptIfRunning);
			if (cancelled) {
				// the caller stops waiting now, whenever the interrupted tool gets to return
				this.observed.stop(ToolCallOutcome.CANCELLED, null);
				synchronized (this) {
					if (this.runner != null && !this.finished) {
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

	/** Run a call on the current thread, in its observation's scope. */
	private ToolResult invoke(Entry entry, ArgumentSource source, Map<String, Object> attributes,
			ObservedToolCall observed) {
		try (ToolCallObserver.Scope scope = observed.openScope()) {
			return run(entry, source, attributes, observed);
		}
		catch (RuntimeException | Error ex) {
			observed.stop(ToolCallOutcome.ofFailure(ex), ex);
			throw ex;
		}
	}

	private ToolResult run(Entry entry, ArgumentSource source, Map<String, Object> attributes,
			ObservedToolCall observed) {
		ToolDefinition definition = entry.definition;
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

	private static RuntimeException rethrow(@Nullable Throwable failure) {
		if (failure instanceof CompletionException && failure.getCause() != null) {
			failure = failure.getCause();
		}
		if (failure == null) {
			return new ToolException("tool call failed");
		}
		if (failure instanceof RuntimeException runtime) {
			return runtime;
		}
		if (failure instanceof Error error) {
			throw error;
		}
		return new ToolException("tool call failed", failure);
	}

	@Override
	public void close() {
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

	private record Entry(Tool tool, ToolDefinition definition, ToolArgumentValidator.CompiledSchema schema) {
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
