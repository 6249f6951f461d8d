package io.github.grain.plugin.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The fair, bounded wait behind a plugin's limit on calls in flight.
 */
@Timeout(60)
class CallPermitsTests {

	private static final Duration MINUTE = Duration.ofMinutes(1);

	@Test
	void callsBeyondTheLimitWaitAndAreServedInArrivalOrder() {
		CallPermits permits = new CallPermits("p", 1, 10, MINUTE, null);
		CallPermits.Permit first = permits.tryAcquire();
		assertThat(first).isNotNull();
		CompletableFuture<CallPermits.Permit> second = permits.acquire();
		CompletableFuture<CallPermits.Permit> third = permits.acquire();
		assertThat(second).isNotDone();
		assertThat(third).isNotDone();
		assertThat(permits.waiting()).isEqualTo(2);
		first.close();
		assertThat(second).isCompleted();
		assertThat(third).isNotDone();
		// no call jumps the line, not even one that finds the permit about to be free
		assertThat(permits.tryAcquire()).isNull();
		second.join().close();
		assertThat(third).isCompleted();
		assertThat(permits.inFlight()).isEqualTo(1);
		assertThat(permits.waiting()).isZero();
		third.join().close();
		assertThat(permits.inFlight()).isZero();
	}

	@Test
	void closingAPermitTwiceReturnsItOnce() {
		CallPermits permits = new CallPermits("p", 2, 10, MINUTE, null);
		CallPermits.Permit permit = permits.tryAcquire();
		permits.tryAcquire();
		permit.close();
		permit.close();
		assertThat(permits.inFlight()).isEqualTo(1);
	}

	@Test
	void manyThreadsBeyondTheLimitAllGetTheirTurnAndNeverMoreThanTheLimitRunAtOnce() throws Exception {
		CallPermits permits = new CallPermits("p", 2, 100, MINUTE, null);
		AtomicInteger running = new AtomicInteger();
		AtomicInteger mostAtOnce = new AtomicInteger();
		ExecutorService threads = Executors.newFixedThreadPool(12);
		try {
			List<Future<Boolean>> calls = new ArrayList<>();
			for (int i = 0; i < 48; i++) {
				calls.add(threads.submit(() -> {
					try (CallPermits.Permit permit = permits.await()) {
						mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
						Thread.yield();
						running.decrementAndGet();
						return !permit.remaining().isNegative();
					}
				}));
			}
			for (Future<Boolean> call : calls) {
				assertThat(call.get()).isTrue();
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(mostAtOnce.get()).isBetween(1, 2);
		assertThat(permits.inFlight()).isZero();
		assertThat(permits.waiting()).isZero();
	}

	@Test
	void aFullLineRefusesAtOnceSayingHowLongToWait() {
		CallPermits permits = new CallPermits("weather", 2, 1, MINUTE, null);
		permits.tryAcquire();
		permits.tryAcquire();
		CompletableFuture<CallPermits.Permit> waiting = permits.acquire();
		CompletableFuture<CallPermits.Permit> refused = permits.acquire();
		assertThat(waiting).isNotDone();
		assertThat(refused).isCompletedExceptionally();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(refused::get)
			.havingCause()
			.isInstanceOfSatisfying(PluginBusyException.class, (busy) -> {
				// no call has ended yet: each call ahead is taken to last its whole deadline
				assertThat(busy.retryAfter()).isEqualTo(Duration.ofMillis(60_001));
				assertThat(busy).hasMessage("plugin 'weather' is busy: its 2 calls in flight and 1 waiting are its "
						+ "limits; retry after 60001 ms");
			});
		assertThat(permits.waiting()).isEqualTo(1);
	}

	@Test
	void aCallThatWaitsPastItsBoundIsRefusedAndLeavesTheLine() {
		CallPermits permits = new CallPermits("weather", 1, 10, MINUTE, Duration.ofMillis(20));
		CallPermits.Permit held = permits.tryAcquire();
		assertThatExceptionOfType(PluginBusyException.class).isThrownBy(permits::await)
			.withMessageStartingWith("plugin 'weather' is busy: no call slot freed within ")
			.withMessageContaining(" ms (1 calls in flight, its limit, and 0 more waiting); retry after ")
			.satisfies((busy) -> assertThat(busy.retryAfter()).isPositive());
		assertThat(permits.waiting()).isZero();
		held.close();
		assertThat(permits.tryAcquire()).isNotNull();
	}

	@Test
	void aZeroWaitRefusesAtOnce() {
		CallPermits permits = new CallPermits("weather", 1, 10, MINUTE, Duration.ZERO);
		permits.tryAcquire();
		assertThatExceptionOfType(PluginBusyException.class).isThrownBy(permits::await)
			.withMessageStartingWith("plugin 'weather' is busy: its 1 calls in flight are its limit and calls do not "
					+ "wait (busy-wait is 0); retry after ");
		assertThat(permits.waiting()).isZero();
	}

	@Test
	void aCancelledCallLeavesTheLineAndTheNextOneGetsThePermit() {
		CallPermits permits = new CallPermits("p", 1, 10, MINUTE, null);
		CallPermits.Permit held = permits.tryAcquire();
		CompletableFuture<CallPermits.Permit> cancelled = permits.acquire();
		CompletableFuture<CallPermits.Permit> next = permits.acquire();
		cancelled.cancel(false);
		assertThat(permits.waiting()).isEqualTo(1);
		held.close();
		assertThat(next).isCompleted();
		next.join().close();
		assertThat(permits.inFlight()).isZero();
	}

	@Test
	void interruptingAWaitingThreadCancelsItsCallAndKeepsTheInterrupt() throws Exception {
		CallPermits permits = new CallPermits("weather", 1, 10, MINUTE, null);
		CallPermits.Permit held = permits.tryAcquire();
		AtomicReference<Object> outcome = new AtomicReference<>();
		Thread waiter = new Thread(() -> {
			try {
				outcome.set(permits.await());
			}
			catch (GuestTrapException ex) {
				outcome.set(Thread.currentThread().isInterrupted() ? ex : "interrupt lost");
			}
		});
		waiter.start();
		while (permits.waiting() == 0) {
			Thread.onSpinWait();
		}
		waiter.interrupt();
		waiter.join();
		assertThat(outcome.get()).isInstanceOfSatisfying(GuestTrapException.class, (ex) -> {
			assertThat(ex.isCancellation()).isTrue();
			assertThat(ex).hasMessage("plugin 'weather' call was cancelled while it waited for one of the plugin's "
					+ "call slots: its thread was interrupted");
		});
		assertThat(permits.waiting()).isZero();
		held.close();
		assertThat(permits.inFlight()).isZero();
	}

	@Test
	void aPermitIsHeldOnlyWhileItRunsACallAndOnlyForItsOwnPermits() {
		CallPermits permits = new CallPermits("p", 1, 10, MINUTE, null);
		CallPermits other = new CallPermits("q", 1, 10, MINUTE, null);
		try (CallPermits.Permit permit = permits.tryAcquire()) {
			assertThat(permits.held()).isNull();
			assertThat(permit.run(permits::held)).isSameAs(permit);
			assertThat(permit.run(other::held)).isNull();
			assertThat(permits.held()).isNull();
		}
	}

	@Test
	void byDefaultACallWaitsAsLongAsItsDeadlineAllows() {
		CallPermits permits = new CallPermits("weather", 1, 10, Duration.ofMillis(30), null);
		permits.tryAcquire();
		assertThatExceptionOfType(PluginBusyException.class).isThrownBy(permits::await)
			.withMessageStartingWith("plugin 'weather' is busy: no call slot freed within ");
	}

	@Test
	void theDeadlineStartsWhenTheCallArrives() throws Exception {
		CallPermits permits = new CallPermits("weather", 1, 10, Duration.ofMillis(30), null);
		CallPermits.Permit permit = permits.tryAcquire();
		// the call waits elsewhere (for a thread) until its deadline has passed
		Thread.sleep(40);
		assertThat(permit.remaining()).isNegative();
		assertThatExceptionOfType(PluginBusyException.class).isThrownBy(permit::remainingOrBusy)
			.withMessageStartingWith("plugin 'weather' is busy: the call spent its whole deadline of 30 ms waiting; "
					+ "retry after ");
	}

	@Test
	void unlimitedPermitsAreAlwaysFree() {
		CallPermits unlimited = CallPermits.unlimited();
		for (int i = 0; i < 1000; i++) {
			assertThat(unlimited.tryAcquire()).isNotNull();
		}
		assertThat(unlimited.acquire()).isCompleted();
	}

	@Test
	void invalidLimitsAreRefusedNamingTheValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CallPermits("p", 0, 1, MINUTE, null))
			.withMessage("permits must be positive: 0");
		assertThatIllegalArgumentException().isThrownBy(() -> new CallPermits("p", 1, -1, MINUTE, null))
			.withMessage("maxWaiting must not be negative: -1");
		assertThatIllegalArgumentException().isThrownBy(() -> new CallPermits("p", 1, 1, Duration.ZERO, null))
			.withMessage("deadline must be positive: PT0S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CallPermits("p", 1, 1, MINUTE, Duration.ofSeconds(-1)))
			.withMessage("maxWait must not be negative: PT-1S");
	}

}
