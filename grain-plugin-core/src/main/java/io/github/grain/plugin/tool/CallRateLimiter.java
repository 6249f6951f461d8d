package io.github.grain.plugin.tool;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * A token bucket per caller for a registry's tool calls: each caller (the
 * {@link ToolContext#PRINCIPAL} of a call; every anonymous call shares one bucket) may
 * make {@code burst} calls at once and then {@code callsPerSecond} on average, so one
 * client cannot take every call slot, the executor's queue or a plugin's calls in flight
 * from the others. A call over its caller's rate is refused before it is queued, with
 * the time until the caller's next token.
 * <p>
 * Callers are kept in a map that forgets buckets that have refilled (they equal a new
 * one) once it holds more than {@code maxCallers}, so a stream of new names cannot grow
 * it without bound.
 */
public final class CallRateLimiter {

	/** How many callers are tracked before full buckets are forgotten. */
	static final int MAX_CALLERS = 10_000;

	private final double callsPerSecond;

	private final int burst;

	private final LongSupplier nanoTime;

	private final int maxCallers;

	private final Map<String, Bucket> callers = new ConcurrentHashMap<>();

	private final Bucket anonymous;

	CallRateLimiter(double callsPerSecond, int burst, LongSupplier nanoTime, int maxCallers) {
		if (!(callsPerSecond > 0) || Double.isInfinite(callsPerSecond)) {
			throw new IllegalArgumentException("calls per second must be a positive number: " + callsPerSecond);
		}
		if (burst < 1) {
			throw new IllegalArgumentException("burst must be at least 1: " + burst);
		}
		this.callsPerSecond = callsPerSecond;
		this.burst = burst;
		this.nanoTime = nanoTime;
		this.maxCallers = maxCallers;
		this.anonymous = new Bucket(burst, nanoTime.getAsLong());
	}

	/**
	 * A limiter allowing each caller {@code burst} calls at once, refilled at
	 * {@code callsPerSecond}.
	 * @param callsPerSecond the average rate per caller, positive
	 * @param burst how many calls a caller that has been idle may make at once, at least 1
	 * @return the limiter
	 */
	public static CallRateLimiter perCaller(double callsPerSecond, int burst) {
		return new CallRateLimiter(callsPerSecond, burst, System::nanoTime, MAX_CALLERS);
	}

	/** The average rate allowed to each caller. */
	public double callsPerSecond() {
		return this.callsPerSecond;
	}

	/** How many calls an idle caller may make at once. */
	public int burst() {
		return this.burst;
	}

	/**
	 * Take a token for one call of {@code caller}.
	 * @param caller the caller's principal name, {@code null} for an anonymous caller
	 * @return 0 when the call may go ahead, else how many milliseconds (at least 1) until
	 * the caller has a token again
	 */
	public long tryAcquire(@Nullable String caller) {
		long now = this.nanoTime.getAsLong();
		Bucket bucket = (caller != null) ? bucket(caller, now) : this.anonymous;
		return bucket.take(now);
	}

	private Bucket bucket(String caller, long now) {
		Bucket bucket = this.callers.get(caller);
		if (bucket != null) {
			return bucket;
		}
		if (this.callers.size() >= this.maxCallers) {
			this.callers.values().removeIf((idle) -> idle.isFull(now));
		}
		return this.callers.computeIfAbsent(caller, (name) -> new Bucket(this.burst, now));
	}

	/** How many callers have a bucket, for tests. */
	int trackedCallers() {
		return this.callers.size();
	}

	private final class Bucket {

		private double tokens;

		private long refilledAt;

		Bucket(double tokens, long now) {
			this.tokens = tokens;
			this.refilledAt = now;
		}

		synchronized long take(long now) {
			refill(now);
			if (this.tokens >= 1) {
				this.tokens -= 1;
				return 0;
			}
			double missing = 1 - this.tokens;
			return Math.max(1, (long) Math.ceil(missing * 1000 / CallRateLimiter.this.callsPerSecond));
		}

		synchronized boolean isFull(long now) {
			refill(now);
			return this.tokens >= CallRateLimiter.this.burst;
		}

		private void refill(long now) {
			// a caller may have read the clock before another refilled this bucket: no time has passed for it
			long elapsed = Math.max(0, now - this.refilledAt);
			this.tokens = Math.min(CallRateLimiter.this.burst,
					this.tokens + elapsed * CallRateLimiter.this.callsPerSecond / 1_000_000_000d);
			this.refilledAt = Math.max(this.refilledAt, now);
		}

	}

}
