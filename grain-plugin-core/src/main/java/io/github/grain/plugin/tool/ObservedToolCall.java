package io.github.grain.plugin.tool;

import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

/**
 * The registry's side of one {@link ToolCallObserver.Call}: stops it exactly once, however
 * many paths race to end the call (the runner finishing, a caller cancelling), and carries
 * what a tool running on this thread noted about its own failure (a {@link WasmTool}
 * answers a trap with an error result, but the outcome is {@link ToolCallOutcome#TRAP}).
 */
final class ObservedToolCall {

	private static final ThreadLocal<ObservedToolCall> RUNNING = new ThreadLocal<>();

	private final ToolCallObserver.Call call;

	private final AtomicBoolean stopped = new AtomicBoolean();

	private @Nullable ToolCallOutcome noted;

	/** The thread that has this call's scope open: a stop there waits for the scope to close. */
	private volatile @Nullable Thread scopeThread;

	private @Nullable ToolCallOutcome pendingOutcome;

	private @Nullable Throwable pendingFailure;

	private ObservedToolCall(ToolCallObserver.Call call) {
		this.call = call;
	}

	static ObservedToolCall start(ToolCallObserver observer, ToolDefinition tool) {
		return new ObservedToolCall(observer.start(tool));
	}

	/**
	 * A tool running on this thread failed in a way its result does not tell (it answers
	 * with an ordinary error result): the call's outcome is what the failure says.
	 * @param failure what the tool caught
	 */
	static void noteFailure(Throwable failure) {
		ObservedToolCall running = RUNNING.get();
		if (running != null) {
			running.noted = ToolCallOutcome.ofFailure(failure);
		}
	}

	/**
	 * Open the call's scope on this thread. A stop on this thread while it is open takes
	 * effect as it closes: an observation's scope closes before it stops.
	 */
	ToolCallObserver.Scope openScope() {
		ToolCallObserver.Scope scope = this.call.openScope();
		this.scopeThread = Thread.currentThread();
		return () -> {
			this.scopeThread = null;
			scope.close();
			ToolCallOutcome outcome = this.pendingOutcome;
			if (outcome != null) {
				stop(outcome, this.pendingFailure);
			}
		};
	}

	/** Mark this call as the one running on the current thread; returns the one it hides. */
	@Nullable ObservedToolCall enter() {
		ObservedToolCall outer = RUNNING.get();
		RUNNING.set(this);
		return outer;
	}

	/** Mark the call {@link #enter()} hid as the running one again ({@code null}: none). */
	static void exit(@Nullable ObservedToolCall outer) {
		RUNNING.set(outer);
	}

	/** Stop with the outcome the tool's result says, unless the tool noted a failure. */
	ToolResult answered(ToolResult result) {
		ToolCallOutcome noted = this.noted;
		return stop((noted != null) ? noted : (result.isError() ? ToolCallOutcome.ERROR : ToolCallOutcome.SUCCESS),
				null, result);
	}

	ToolResult stop(ToolCallOutcome outcome, @Nullable Throwable failure, ToolResult result) {
		stop(outcome, failure);
		return result;
	}

	void stop(ToolCallOutcome outcome, @Nullable Throwable failure) {
		if (this.scopeThread == Thread.currentThread()) {
			if (this.pendingOutcome == null) {
				this.pendingOutcome = outcome;
				this.pendingFailure = failure;
			}
			return;
		}
		if (this.stopped.compareAndSet(false, true)) {
			this.call.stop(outcome, failure);
		}
	}

}
