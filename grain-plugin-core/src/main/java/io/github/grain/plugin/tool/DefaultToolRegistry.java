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
import io.github.grain.plugin.engine.CallPermits;
import io.github.grain.plugin.engine.PluginBusyException;
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
 * Closing the registry shuts its executor down.
 */
public final class DefaultToolRegistry implements ToolRegistry, AutoCloseable {

	private static final Log logger = LogFactory.getLog(DefaultToolRegistry.class);

	private static final ThreadLocal<Boolean> IN_TOOL_CALL = ThreadLocal.withInitial(() -> Boolean.FALSE);

	private final Map<String, Entry> tools = new ConcurrentHashMap<>();

	private final Object registration = new Object();

	private final ObjectMapper mapper;

	private final ToolArgumentValidator validator;

	private final ExecutorService executor;

	/** One permit per call that may run at once, on a caller's thread or the executor's. */
	private final Semaphore slots;

	private final ToolApprovalHandler approvalHandler;

	private final SandboxPolicy sandbox;

	private final BooleanSupplier callerMayBlock;

	private final Clock clock;

	private DefaultToolRegistry(Builder builder) {
		this.mapper = builder.mapper;
		this.validator = new ToolArgumentValidator(builder.mapper);
		this.executor = (builder.executor != null) ? builder.executor : newExecutor(4, 64);
		this.slots = new Semaphore(slotsFor(builder.maxConcurrentCalls, this.executor), true);
		this.approvalHandler = builder.approvalHandler;
		this.sandbox = builder.sandbox;
		this.callerMayBlock = builder.callerMayBlock;
		this.clock = builder.clock;
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
			this.tools.putAll(next);
			this.tools.values()
				.removeIf((entry) -> entry.definition.source().equals(source) && !next.containsKey(entry.definition.name()));
		}
	}

	@Override
	public Optional<Tool> unregister(String name) {
		Entry removed;
		synchronized (this.registration) {
			removed = this.tools.remove(name);
		}
		return Optional.ofNullable(removed).map((entry) -> entry.tool);
	}

	@Override
	public ToolResult call(String name, String argumentsJson) {
		Entry entry = entry(name);
		return callAndWait(entry, () -> parse(argumentsJson));
	}

	@Override
	public ToolResult call(String name, JsonNode arguments) {
		Entry entry = entry(name);
		return callAndWait(entry, () -> Parsed.of(arguments));
	}

	@Override
	public CompletableFuture<ToolResult> callAsync(String name, String argumentsJson) {
		Entry entry = this.tools.get(name);
		if (entry == null) {
			return CompletableFuture.failedFuture(new UnknownToolException(name));
		}
		return submit(entry, () -> parse(argumentsJson));
	}

	@Override
	public CompletableFuture<ToolResult> callAsync(String name, JsonNode arguments) {
		Entry entry = this.tools.get(name);
		if (entry == null) {
			return CompletableFuture.failedFuture(new UnknownToolException(name));
		}
		return submit(entry, () -> Parsed.of(arguments));
	}

	private ToolResult callAndWait(Entry entry, ArgumentSource arguments) {
		if (IN_TOOL_CALL.get()) {
			return invoke(entry, arguments);
		}
		if (!this.callerMayBlock.getAsBoolean()) {
			throw new IllegalStateException("ToolRegistry.call blocks and cannot run on thread '"
					+ Thread.currentThread().getName() + "'; use callAsync");
		}
		// Queued calls waiting for a slot go first: a synchronous caller takes a free slot only when none waits,
		// and only with the tool's own permit in hand (waiting for that holds no slot: it waits as a queued call).
		CallPermits.Permit permit = entry.tool.permits().tryAcquire();
		if (permit != null && !this.slots.hasQueuedThreads() && this.slots.tryAcquire()) {
			IN_TOOL_CALL.set(Boolean.TRUE);
			try {
				return permit.run(() -> invoke(entry, arguments));
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
		CompletableFuture<ToolResult> call = submit(entry, arguments);
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
	private CompletableFuture<ToolResult> submit(Entry entry, ArgumentSource arguments) {
		RunningCall future = new RunningCall();
		CompletableFuture<CallPermits.Permit> admission = entry.tool.permits().acquire();
		// a call cancelled while it waits leaves the line
		future.whenComplete((result, failure) -> admission.cancel(false));
		admission.whenComplete((permit, failure) -> {
			if (permit != null) {
				execute(entry, arguments, future, permit);
			}
			else if (failure instanceof PluginBusyException busy) {
				future.complete(ToolResult.busy(busy.getMessage(), busy.retryAfter()));
			}
			else if (!(failure instanceof CancellationException)) {
				future.completeExceptionally(failure);
			}
		});
		return future;
	}

	private void execute(Entry entry, ArgumentSource arguments, RunningCall future, CallPermits.Permit permit) {
		try {
			this.executor.execute(() -> {
				if (!future.start()) {
					permit.close();
					return;
				}
				IN_TOOL_CALL.set(Boolean.TRUE);
				boolean slot = false;
				try {
					this.slots.acquire();
					slot = true;
					ToolResult result = permit.run(() -> invoke(entry, arguments));
					// returned before the caller hears of the result: its next call finds the permit free
					permit.close();
					future.complete(result);
				}
				catch (InterruptedException ex) {
					// cancelled while waiting for a slot: the future is already cancelled
					future.cancel(false);
				}
				catch (Throwable ex) {
					permit.close();
					future.completeExceptionally(ex);
				}
				finally {
					if (slot) {
						this.slots.release();
					}
					permit.close();
					IN_TOOL_CALL.remove();
					future.finish();
				}
			});
		}
		catch (RejectedExecutionException ex) {
			permit.close();
			future.complete(ToolResult.error("the host is busy with other tool calls; try again later"));
		}
	}

	/**
	 * A call's future: cancelling it interrupts the thread running the call, which stops
	 * a guest (see {@code GuestTrapException#isCancellation()}) and a {@code @GrainTool}
	 * method that honours interruption. The interrupt never reaches the thread's next task.
	 */
	static final class RunningCall extends CompletableFuture<ToolResult> {

		private @Nullable Thread runner;

		private boolean finished;

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

	private ToolResult invoke(Entry entry, ArgumentSource source) {
		ToolDefinition definition = entry.definition;
		Parsed parsed = source.get();
		if (parsed.error != null) {
			return ToolResult.invalidArguments("the arguments are not valid JSON", List.of(parsed.error));
		}
		JsonNode arguments = Objects.requireNonNull(parsed.value);
		if (!arguments.isObject()) {
			return ToolResult.invalidArguments("the arguments must be a JSON object",
					List.of("$: " + arguments.getNodeType().name().toLowerCase(Locale.ROOT) + " found, object expected"));
		}
		List<String> violations = entry.schema.validate(arguments);
		if (!violations.isEmpty()) {
			return ToolResult.invalidArguments(
					"the arguments do not match the parameters schema of tool '" + definition.name() + "'", violations);
		}
		String callId = UUID.randomUUID().toString();
		if (!definition.readOnly()) {
			ToolApprovalDecision decision;
			try {
				decision = this.approvalHandler
					.decide(new ToolApprovalRequest(callId, definition, arguments, this.clock.instant()));
			}
			catch (RuntimeException ex) {
				logger.warn("Approval of a call to tool '" + definition.name() + "' failed", ex);
				return ToolResult.error("the call to tool '" + definition.name() + "' could not be approved");
			}
			if (decision == null || !decision.approved()) {
				String reason = (decision != null) ? decision.reason() : "no decision";
				return ToolResult.error("the call to tool '" + definition.name() + "' was not approved: " + reason);
			}
		}
		ToolContext context = new ToolContext(definition.name(), callId, this.sandbox);
		try {
			ToolResult result = entry.tool.call(arguments, context);
			return (result != null) ? result : ToolResult.error("tool '" + definition.name() + "' returned no result");
		}
		catch (RuntimeException ex) {
			logger.warn("Tool '" + definition.name() + "' from " + definition.source() + " failed: " + ex);
			return ToolResult.error(MethodTool.describe(ex));
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

		public DefaultToolRegistry build() {
			return new DefaultToolRegistry(this);
		}

	}

}
