package io.github.grain.plugin.tool;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Watches every call a {@link DefaultToolRegistry} makes, refusals included: the port
 * through which metrics and traces (Micrometer's {@code Observation} in the Spring module)
 * see tool calls without the core knowing them.
 * <p>
 * {@link #start} runs on the caller's thread as the call is made, before anything is
 * checked, so an implementation can capture what is bound to that thread (the caller's
 * current observation) even for {@link ToolRegistry#callAsync}. The registry then
 * {@linkplain Call#openScope() opens a scope} on the thread that runs the tool, and
 * {@linkplain Call#stop stops} the call exactly once with its outcome. Arguments and
 * results are never handed to an observer.
 */
@FunctionalInterface
public interface ToolCallObserver {

	/** An observer that does nothing. */
	ToolCallObserver NONE = (tool) -> Call.NONE;

	/**
	 * A call to a tool begins.
	 * @param tool the definition of the tool being called
	 * @return the handle of this call
	 */
	Call start(ToolDefinition tool);

	/**
	 * Several observers as one, so metrics, traces and an application's own listener all
	 * see every call: each starts and stops in the given order, scopes open in that order
	 * and close in reverse. An observer that throws does not keep the others from seeing
	 * the call; the first failure is rethrown once all have been told.
	 * @param observers the observers, in order
	 * @return {@link #NONE} for none, the observer itself for one, else their composite
	 */
	static ToolCallObserver all(List<? extends ToolCallObserver> observers) {
		List<ToolCallObserver> live = observers.stream()
			.filter((observer) -> observer != NONE)
			.map(ToolCallObserver.class::cast)
			.toList();
		if (live.isEmpty()) {
			return NONE;
		}
		return (live.size() == 1) ? live.get(0) : new CompositeToolCallObserver(live);
	}

	/**
	 * One observed call.
	 */
	interface Call {

		/** A handle that ignores everything. */
		Call NONE = (outcome, failure) -> {
		};

		/**
		 * The call is about to run on the current thread; the scope is closed on the same
		 * thread when it has run. What the tool does meanwhile (calls to other tools,
		 * outbound HTTP) may see this call as its parent.
		 * @return the scope to close
		 */
		default Scope openScope() {
			return Scope.NONE;
		}

		/**
		 * The call ended. Called exactly once, on whichever thread saw the end (the caller's
		 * when a cancelled call is abandoned).
		 * @param outcome how it ended
		 * @param failure what was thrown, when the outcome comes from an exception
		 */
		void stop(ToolCallOutcome outcome, @Nullable Throwable failure);

	}

	/**
	 * A call's scope on the thread that runs it.
	 */
	@FunctionalInterface
	interface Scope extends AutoCloseable {

		/** A scope that does nothing. */
		Scope NONE = () -> {
		};

		@Override
		void close();

	}

}
