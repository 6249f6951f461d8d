package io.github.grain.plugin.tool;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A {@link ToolCallObserver} that writes down, per call, where it started, where its
 * scope was opened and how (and how often) it stopped.
 */
public final class RecordingToolCallObserver implements ToolCallObserver {

	private final List<Recorded> calls = new CopyOnWriteArrayList<>();

	private final CountDownLatch anyStop;

	public RecordingToolCallObserver() {
		this(1);
	}

	/** @param expectedStops how many stops {@link #awaitStops} waits for */
	public RecordingToolCallObserver(int expectedStops) {
		this.anyStop = new CountDownLatch(expectedStops);
	}

	@Override
	public Call start(ToolDefinition tool) {
		Recorded call = new Recorded(tool.name(), tool.source(), Thread.currentThread().getName());
		this.calls.add(call);
		return call;
	}

	public List<Recorded> calls() {
		return this.calls;
	}

	/** The only call made so far. */
	public Recorded only() {
		if (this.calls.size() != 1) {
			throw new IllegalStateException("expected one call, recorded " + this.calls);
		}
		return this.calls.get(0);
	}

	public boolean awaitStops(long seconds) throws InterruptedException {
		return this.anyStop.await(seconds, TimeUnit.SECONDS);
	}

	/** One observed call. */
	public final class Recorded implements Call {

		public final String tool;

		public final String source;

		public final String startThread;

		public final List<String> scopeThreads = new CopyOnWriteArrayList<>();

		public final List<ToolCallOutcome> outcomes = new CopyOnWriteArrayList<>();

		public volatile @Nullable Throwable failure;

		public volatile int openScopes;

		/** How many of its scopes were open when it stopped: an observation's scope closes first. */
		public volatile int openScopesAtStop = -1;

		Recorded(String tool, String source, String startThread) {
			this.tool = tool;
			this.source = source;
			this.startThread = startThread;
		}

		@Override
		public Scope openScope() {
			this.scopeThreads.add(Thread.currentThread().getName());
			this.openScopes++;
			return () -> this.openScopes--;
		}

		@Override
		public void stop(ToolCallOutcome outcome, @Nullable Throwable failure) {
			this.outcomes.add(outcome);
			this.failure = failure;
			this.openScopesAtStop = this.openScopes;
			RecordingToolCallObserver.this.anyStop.countDown();
		}

		/** The outcome of a call stopped exactly once. */
		public ToolCallOutcome outcome() {
			if (this.outcomes.size() != 1) {
				throw new IllegalStateException("call of '" + this.tool + "' stopped " + this.outcomes);
			}
			return this.outcomes.get(0);
		}

		@Override
		public String toString() {
			return this.tool + this.outcomes;
		}

	}

}
