package io.github.grain.plugin.engine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * A plugin's limit on calls in flight as a fair, bounded wait. A call takes one of a fixed
 * number of permits; when none is free it joins a line of at most {@code maxWaiting} calls
 * and is given a permit in arrival order, or, once its wait bound passes (or the line is
 * full), a {@link PluginBusyException} that says how long to wait before retrying.
 * <p>
 * Waiting holds no thread: {@link #acquire()} is a future, so a caller with a bounded
 * pool of threads (the tool registry) can take a permit before it gives the call a thread,
 * and a plugin whose calls all run to their deadline keeps only its own calls waiting.
 * A caller that may block uses {@link #await()}.
 * <p>
 * A call's deadline starts when it arrives: the time it waits for a permit is time its
 * guest will not have, so a caller never waits longer than the deadline it was promised.
 */
public final class CallPermits {

	private static final CallPermits UNLIMITED = new CallPermits("", Integer.MAX_VALUE, 0, Duration.ofDays(365), null);

	/** The one permit of {@link #unlimited()}: taking and returning it costs nothing. */
	private static final Permit UNLIMITED_PERMIT = new Permit(UNLIMITED, Long.MAX_VALUE);

	/** Thread-bound: the permit the call running on this thread holds (see {@link Permit#run}). */
	private static final ThreadLocal<@Nullable Permit> HELD = new ThreadLocal<>();

	private final String plugin;

	private final int permits;

	private final int maxWaiting;

	private final long deadlineNanos;

	private final long maxWaitNanos;

	private final Object lock = new Object();

	private int free;

	private final ArrayDeque<Waiter> line = new ArrayDeque<>();

	/** How long a permit is held, smoothed (each call weighs 1/8); 0 until a call ends. */
	private long meanHoldNanos;

	/**
	 * Permits for one plugin.
	 * @param plugin the plugin's name, for messages
	 * @param permits how many calls may be in flight at once
	 * @param maxWaiting how many calls may wait for a permit; beyond that a call is refused at once
	 * @param deadline the deadline of one call, counted from its arrival
	 * @param maxWait how long a call may wait for a permit (never past its deadline);
	 * {@code null} for as long as its deadline allows, zero to refuse at once
	 */
	public CallPermits(String plugin, int permits, int maxWaiting, Duration deadline, @Nullable Duration maxWait) {
		if (permits < 1) {
			throw new IllegalArgumentException("permits must be positive: " + permits);
		}
		if (maxWaiting < 0) {
			throw new IllegalArgumentException("maxWaiting must not be negative: " + maxWaiting);
		}
		if (deadline.isNegative() || deadline.isZero()) {
			throw new IllegalArgumentException("deadline must be positive: " + deadline);
		}
		if (maxWait != null && maxWait.isNegative()) {
			throw new IllegalArgumentException("maxWait must not be negative: " + maxWait);
		}
		this.plugin = Objects.requireNonNull(plugin, "plugin");
		this.permits = permits;
		this.free = permits;
		this.maxWaiting = maxWaiting;
		this.deadlineNanos = deadline.toNanos();
		this.maxWaitNanos = (maxWait != null) ? Math.min(maxWait.toNanos(), this.deadlineNanos) : this.deadlineNanos;
	}

	/** No limit: every call gets a permit at once (what a tool without a limit of its own takes). */
	public static CallPermits unlimited() {
		return UNLIMITED;
	}

	/** How many calls may be in flight at once. */
	public int permits() {
		return this.permits;
	}

	/** How many calls hold a permit now. */
	public int inFlight() {
		synchronized (this.lock) {
			return this.permits - this.free;
		}
	}

	/** How many calls wait for a permit now. */
	public int waiting() {
		synchronized (this.lock) {
			return this.line.size();
		}
	}

	/** A permit now if one is free and no call waits for one (no call jumps the line); else {@code null}. */
	public @Nullable Permit tryAcquire() {
		if (this == UNLIMITED) {
			return UNLIMITED_PERMIT;
		}
		long arrival = System.nanoTime();
		synchronized (this.lock) {
			if (this.free == 0 || !this.line.isEmpty()) {
				return null;
			}
			this.free--;
		}
		return new Permit(this, arrival + this.deadlineNanos);
	}

	/**
	 * A permit when one is free, in arrival order. The future fails with
	 * {@link PluginBusyException} when the line is full or the wait bound passes;
	 * cancelling it leaves the line.
	 */
	public CompletableFuture<Permit> acquire() {
		Permit now = tryAcquire();
		if (now != null) {
			return CompletableFuture.completedFuture(now);
		}
		long arrival = System.nanoTime();
		Waiter waiter = new Waiter(arrival);
		PluginBusyException refused = null;
		synchronized (this.lock) {
			if (this.free > 0 && this.line.isEmpty()) {
				this.free--;
				waiter.complete(new Permit(this, arrival + this.deadlineNanos));
				return waiter;
			}
			if (this.maxWaitNanos == 0 || this.line.size() >= this.maxWaiting) {
				refused = busy(refusal(), this.line.size());
			}
			else {
				this.line.add(waiter);
			}
		}
		if (refused != null) {
			waiter.completeExceptionally(refused);
			return waiter;
		}
		ScheduledFuture<?> timer = WaitTimer.schedule(() -> expire(waiter), this.maxWaitNanos);
		waiter.timer = timer;
		if (waiter.isDone()) {
			// given a permit before its timer was set
			timer.cancel(false);
		}
		waiter.whenComplete((permit, failure) -> {
			if (failure != null) {
				leave(waiter);
			}
		});
		return waiter;
	}

	/**
	 * Block until a permit is given, as {@link #acquire()}.
	 * @throws PluginBusyException when the line is full or the wait bound passes
	 * @throws GuestTrapException when the thread is interrupted while it waits (the call
	 * was cancelled); the interrupt status is kept
	 */
	public Permit await() {
		CompletableFuture<Permit> permit = acquire();
		try {
			return permit.get();
		}
		catch (InterruptedException ex) {
			permit.cancel(false);
			Thread.currentThread().interrupt();
			// given just before the cancellation: hand it back
			if (!permit.isCompletedExceptionally()) {
				permit.join().close();
			}
			throw GuestTrapException.cancelled(this.plugin, "while it waited for one of the plugin's call slots", ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof PluginBusyException busy) {
				throw new PluginBusyException(busy.getMessage(), busy.retryAfter(), busy);
			}
			throw new GrainPluginException("plugin '" + this.plugin + "': waiting for a call slot failed", ex.getCause());
		}
	}

	/**
	 * The permit the call running on this thread holds from these permits (one a caller
	 * took for it, see {@link Permit#run}), or {@code null}.
	 */
	public @Nullable Permit held() {
		Permit held = HELD.get();
		return (held != null && held.owner == this && !held.closed.get()) ? held : null;
	}

	private String refusal() {
		return (this.maxWaitNanos == 0)
				? "its " + this.permits + " calls in flight are its limit and calls do not wait (busy-wait is 0)"
				: "its " + this.permits + " calls in flight and " + this.line.size() + " waiting are its limits";
	}

	private void expire(Waiter waiter) {
		long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - waiter.arrival);
		int others;
		synchronized (this.lock) {
			if (!this.line.remove(waiter)) {
				// a permit is on its way to it
				return;
			}
			others = this.line.size();
		}
		waiter.completeExceptionally(busy("no call slot freed within " + waitedMillis + " ms (" + this.permits
				+ " calls in flight, its limit, and " + others + " more waiting)", others + 1));
	}

	private void leave(Waiter waiter) {
		synchronized (this.lock) {
			this.line.remove(waiter);
		}
		ScheduledFuture<?> timer = waiter.timer;
		if (timer != null) {
			timer.cancel(false);
		}
	}

	/** A permit comes back: the first waiter still waiting gets it, else it is free again. */
	private void release(long heldNanos) {
		if (this == UNLIMITED) {
			return;
		}
		synchronized (this.lock) {
			this.meanHoldNanos = (this.meanHoldNanos == 0) ? heldNanos
					: this.meanHoldNanos + (heldNanos - this.meanHoldNanos) / 8;
		}
		while (true) {
			Waiter next;
			synchronized (this.lock) {
				next = this.line.poll();
				if (next == null) {
					this.free++;
					return;
				}
			}
			ScheduledFuture<?> timer = next.timer;
			if (timer != null) {
				timer.cancel(false);
			}
			Permit permit = new Permit(this, next.arrival + this.deadlineNanos);
			if (next.complete(permit)) {
				return;
			}
			// the waiter gave up (timed out or cancelled) just now: the next one gets it
			permit.closed.set(true);
		}
	}

	/**
	 * A call is refused: it should come back once the calls ahead of it have had their
	 * turn, estimated from how long calls held a permit lately (the deadline until one ends).
	 */
	private PluginBusyException busy(String why, int waiting) {
		long mean;
		synchronized (this.lock) {
			mean = (this.meanHoldNanos > 0) ? this.meanHoldNanos : this.deadlineNanos;
		}
		long rounds = ((long) waiting + this.permits) / this.permits;
		Duration retryAfter = Duration.ofMillis(Math.max(1, TimeUnit.NANOSECONDS.toMillis(mean * rounds) + 1));
		return new PluginBusyException(
				"plugin '" + this.plugin + "' is busy: " + why + "; retry after " + retryAfter.toMillis() + " ms",
				retryAfter);
	}

	@Override
	public String toString() {
		return "CallPermits[plugin '" + this.plugin + "', " + inFlight() + " of " + this.permits + " in flight, "
				+ waiting() + " waiting]";
	}

	/**
	 * One call's right to run. Close it when the call ends (closing twice does nothing).
	 */
	public static final class Permit implements AutoCloseable {

		private final CallPermits owner;

		private final long deadlineNanos;

		private final long grantedNanos = System.nanoTime();

		private final AtomicBoolean closed = new AtomicBoolean();

		private Permit(CallPermits owner, long deadlineNanos) {
			this.owner = owner;
			this.deadlineNanos = deadlineNanos;
		}

		/** What is left of the call's deadline, which started when the call arrived (zero or less: none). */
		public Duration remaining() {
			return Duration.ofNanos(
					(this == UNLIMITED_PERMIT) ? this.owner.deadlineNanos : this.deadlineNanos - System.nanoTime());
		}

		/**
		 * What is left of the call's deadline, for a guest about to start.
		 * @throws PluginBusyException when the call spent its whole deadline waiting
		 */
		public Duration remainingOrBusy() {
			Duration remaining = remaining();
			if (remaining.isNegative() || remaining.isZero()) {
				throw this.owner.busy("the call spent its whole deadline of "
						+ TimeUnit.NANOSECONDS.toMillis(this.owner.deadlineNanos) + " ms waiting", this.owner.waiting());
			}
			return remaining;
		}

		/**
		 * Run a call on this thread as the holder of this permit: the plugin it belongs to
		 * takes no second permit for it.
		 */
		public <T> T run(Supplier<T> call) {
			if (this == UNLIMITED_PERMIT) {
				return call.get();
			}
			Permit outer = HELD.get();
			HELD.set(this);
			try {
				return call.get();
			}
			finally {
				if (outer != null) {
					HELD.set(outer);
				}
				else {
					HELD.remove();
				}
			}
		}

		@Override
		public void close() {
			if (this != UNLIMITED_PERMIT && this.closed.compareAndSet(false, true)) {
				this.owner.release(System.nanoTime() - this.grantedNanos);
			}
		}

	}

	private static final class Waiter extends CompletableFuture<Permit> {

		final long arrival;

		volatile @Nullable ScheduledFuture<?> timer;

		Waiter(long arrival) {
			this.arrival = arrival;
		}

	}

	/** One daemon thread ends the waits that run out, for every plugin; started on first use. */
	private static final class WaitTimer {

		private static final ScheduledThreadPoolExecutor EXECUTOR = newExecutor();

		private static ScheduledThreadPoolExecutor newExecutor() {
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (runnable) -> {
				Thread thread = new Thread(runnable, "grain-call-wait");
				thread.setDaemon(true);
				return thread;
			});
			executor.setRemoveOnCancelPolicy(true);
			return executor;
		}

		static ScheduledFuture<?> schedule(Runnable task, long nanos) {
			return EXECUTOR.schedule(task, nanos, TimeUnit.NANOSECONDS);
		}

	}

}
