package io.github.grain.plugin.tool;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CallRateLimiterTests {

	private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	private CallRateLimiter limiter(double callsPerSecond, int burst, int maxCallers) {
		return new CallRateLimiter(callsPerSecond, burst, this.nanos::get, maxCallers);
	}

	@Test
	void anIdleCallerMayMakeItsBurstAndThenWaitsForTheNextToken() {
		CallRateLimiter limiter = limiter(2, 3, 100);
		assertThat(limiter.tryAcquire("alice")).isZero();
		assertThat(limiter.tryAcquire("alice")).isZero();
		assertThat(limiter.tryAcquire("alice")).isZero();
		assertThat(limiter.tryAcquire("alice")).isEqualTo(500);
		advanceMillis(200);
		assertThat(limiter.tryAcquire("alice")).isEqualTo(300);
		advanceMillis(300);
		assertThat(limiter.tryAcquire("alice")).isZero();
		assertThat(limiter.tryAcquire("alice")).isEqualTo(500);
	}

	@Test
	void eachCallerHasItsOwnBucketAndAnonymousCallersShareOne() {
		CallRateLimiter limiter = limiter(1, 1, 100);
		assertThat(limiter.tryAcquire("alice")).isZero();
		assertThat(limiter.tryAcquire("alice")).isPositive();
		assertThat(limiter.tryAcquire("bob")).isZero();
		assertThat(limiter.tryAcquire(null)).isZero();
		assertThat(limiter.tryAcquire(null)).isEqualTo(1000);
		assertThat(limiter.tryAcquire("bob")).isEqualTo(1000);
	}

	@Test
	void aBucketNeverHoldsMoreThanItsBurst() {
		CallRateLimiter limiter = limiter(10, 2, 100);
		assertThat(limiter.tryAcquire("alice")).isZero();
		advanceMillis(60_000);
		assertThat(limiter.tryAcquire("alice")).isZero();
		assertThat(limiter.tryAcquire("alice")).isZero();
		assertThat(limiter.tryAcquire("alice")).isEqualTo(100);
	}

	@Test
	void aWaitShorterThanAMillisecondIsReportedAsOne() {
		CallRateLimiter limiter = limiter(1_000_000, 1, 100);
		assertThat(limiter.tryAcquire("alice")).isZero();
		assertThat(limiter.tryAcquire("alice")).isEqualTo(1);
	}

	@Test
	void refilledBucketsAreForgottenWhenTooManyCallersAreTracked() {
		CallRateLimiter limiter = limiter(1, 1, 3);
		limiter.tryAcquire("a");
		limiter.tryAcquire("b");
		limiter.tryAcquire("c");
		assertThat(limiter.trackedCallers()).isEqualTo(3);
		advanceMillis(1000);
		limiter.tryAcquire("c");
		assertThat(limiter.tryAcquire("d")).isZero();
		// a and b had refilled and were forgotten; c, just used, was kept with its empty bucket
		assertThat(limiter.trackedCallers()).isEqualTo(2);
		assertThat(limiter.tryAcquire("c")).isEqualTo(1000);
	}

	@Test
	void onlyANewCallerMakesRoomAKnownOneLeavesTheOthersBucketsAlone() {
		CallRateLimiter limiter = limiter(1, 1, 2);
		limiter.tryAcquire("a");
		limiter.tryAcquire("b");
		advanceMillis(1000);
		// both buckets have refilled, and the table is full: a's call does not sweep it
		assertThat(limiter.tryAcquire("a")).isZero();
		assertThat(limiter.trackedCallers()).isEqualTo(2);
	}

	@Test
	void refusesARateOrBurstThatAllowsNothing() {
		assertThatIllegalArgumentException().isThrownBy(() -> CallRateLimiter.perCaller(0, 1))
			.withMessage("calls per second must be a positive number: 0.0");
		assertThatIllegalArgumentException().isThrownBy(() -> CallRateLimiter.perCaller(Double.NaN, 1))
			.withMessage("calls per second must be a positive number: NaN");
		assertThatIllegalArgumentException().isThrownBy(() -> CallRateLimiter.perCaller(Double.POSITIVE_INFINITY, 1))
			.withMessage("calls per second must be a positive number: Infinity");
		assertThatIllegalArgumentException().isThrownBy(() -> CallRateLimiter.perCaller(1, 0))
			.withMessage("burst must be at least 1: 0");
	}

	private void advanceMillis(long millis) {
		this.nanos.addAndGet(millis * 1_000_000L);
	}

}
