package io.github.grain.plugin.runtime.chicory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deadlines of live Chicory instances. Chicory's compiled code and interpreter stop a
 * guest whose thread is interrupted (at calls and loop heads), so a daemon ticker
 * interrupts the thread of every instance whose deadline has passed. The interrupt is
 * the deadline's own: it is cleared again on that thread when the guest call reports it
 * or when the instance closes, so it never leaks into the caller's next task. An
 * interrupt that was already pending (a cancelled call) is left alone.
 */
final class ChicoryDeadlines implements AutoCloseable {

	/** Ticker period: the granularity of deadlines. */
	static final Duration TICK = Duration.ofMillis(5);

	private final Set<Watch> live = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService ticker;

	ChicoryDeadlines() {
		this.ticker = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "grain-chicory-deadlines");
			thread.setDaemon(true);
			return thread;
		});
		this.ticker.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Watch the current thread until {@link Watch#finish()}; it is interrupted once {@code deadline} has passed. */
	Watch start(Duration deadline) {
		Watch watch = new Watch(Thread.currentThread(), System.nanoTime() + deadline.toNanos());
		this.live.add(watch);
		return watch;
	}

	private void tick() {
		long now = System.nanoTime();
		for (Watch watch : this.live) {
			if (now - watch.deadline >= 0) {
				watch.expire();
				this.live.remove(watch);
			}
		}
	}

	@Override
	public void close() {
		this.ticker.shutdownNow();
	}

	/** One instance's deadline, on the thread that runs it. */
	final class Watch {

		private final Thread thread;

		private final long deadline;

		private boolean expired;

		private boolean finished;

		/** Whether the interrupt pending on the thread is the deadline's. */
		private boolean interruptPending;

		Watch(Thread thread, long deadline) {
			this.thread = thread;
			this.deadline = deadline;
		}

		private synchronized void expire() {
			if (this.finished || this.expired) {
				return;
			}
			this.expired = true;
			if (!this.thread.isInterrupted()) {
				this.interruptPending = true;
				this.thread.interrupt();
			}
		}

		/** Whether the deadline has passed; once it has, the pending deadline interrupt is cleared. */
		synchronized boolean expired() {
			if (this.expired) {
				clearInterrupt();
			}
			return this.expired;
		}

		private void clearInterrupt() {
			if (this.interruptPending) {
				this.interruptPending = false;
				Thread.interrupted();
			}
		}

		/** The instance closed: stop watching and take back a deadline interrupt not yet reported. */
		synchronized void finish() {
			this.finished = true;
			ChicoryDeadlines.this.live.remove(this);
			clearInterrupt();
		}

	}

}
