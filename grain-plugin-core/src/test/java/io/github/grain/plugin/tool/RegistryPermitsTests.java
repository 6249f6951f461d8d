package io.github.grain.plugin.tool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.node.TextNode;
import io.github.grain.plugin.engine.CallPermits;
import io.github.grain.plugin.engine.GuestTrapException;
import io.github.grain.plugin.engine.TrapKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A plugin's call permit ({@link Tool#permits()}) is given back on every path a call takes:
 * run on the caller's thread, queued for a slot, refused by a full executor, failed with an
 * error, cancelled while it waits; and what reaches the caller and the observer when a call
 * fails, is interrupted or the registry closes. The plugin here has one permit and lets no
 * call wait for it, so a permit never given back makes its next call busy.
 */
class RegistryPermitsTests {

	private static final String HOST_BUSY = "the host is busy with other tool calls; try again later";

	private final CallPermits permits = new CallPermits("p", 1, 0, Duration.ofSeconds(30), Duration.ZERO);

	private final RecordingToolCallObserver observer = new RecordingToolCallObserver();

	private final CountDownLatch release = new CountDownLatch(1);

	private final CountDownLatch holding = new CountDownLatch(1);

	private final List<Thread> threads = new CopyOnWriteArrayList<>();

	private DefaultToolRegistry registry = DefaultToolRegistry.builder().observer(this.observer).build();

	@AfterEach
	void close() {
		this.release.countDown();
		this.registry.close();
	}

	@Test
	void aSynchronousCallRunOnTheCallersThreadGivesThePermitBack() {
		this.registry.register(plugin("p").withOwnDeadline());
		for (int i = 0; i < 2; i++) {
			assertThat(this.registry.call("p", "{}").text()).as("call %d", i).isEqualTo(Thread.currentThread().getName());
		}
		assertThat(this.permits.inFlight()).isZero();
	}

	@Test
	void aSynchronousCallFindingNoFreeSlotQueuesWithoutHoldingOnToThePermit() throws Exception {
		this.registry.close();
		this.registry = DefaultToolRegistry.builder()
			.executor(DefaultToolRegistry.newExecutor(2, 8))
			.maxConcurrentCalls(1)
			.build();
		this.registry.register(holder());
		this.registry.register(plugin("p").withOwnDeadline());
		CompletableFuture<ToolResult> held = this.registry.callAsync("hold", "{}");
		assertThat(this.holding.await(30, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<ToolResult> queued = CompletableFuture.supplyAsync(() -> this.registry.call("p", "{}"));
		await(() -> this.permits.inFlight() == 1);
		this.release.countDown();
		// queued, or run here if the slot came free first: either way not refused as busy
		assertThat(queued.get(30, TimeUnit.SECONDS).isError()).isFalse();
		assertThat(held.get(30, TimeUnit.SECONDS).text()).isEqualTo("held");
		assertThat(this.permits.inFlight()).isZero();
	}

	@Test
	void aCallTheExecutorRefusesGivesThePermitBack() {
		ExecutorService refusing = DefaultToolRegistry.newExecutor(1, 1);
		refusing.shutdown();
		this.registry.close();
		this.registry = DefaultToolRegistry.builder().executor(refusing).build();
		this.registry.register(plugin("p"));
		assertThat(this.registry.callAsync("p", "{}").join().text()).isEqualTo(HOST_BUSY);
		assertThat(this.permits.inFlight()).isZero();
	}

	@Test
	void aPluginWithItsPermitTakenAnswersBusyAndTheObserverSeesBusy() throws Exception {
		this.registry.register(holder().withPermits(this.permits));
		CompletableFuture<ToolResult> held = this.registry.callAsync("hold", "{}");
		assertThat(this.holding.await(30, TimeUnit.SECONDS)).isTrue();
		assertThat(this.registry.callAsync("hold", "{}").get(30, TimeUnit.SECONDS).text()).startsWith(
				"plugin 'p' is busy: its 1 calls in flight are its limit and calls do not wait (busy-wait is 0); retry after ");
		this.release.countDown();
		assertThat(held.get(30, TimeUnit.SECONDS).text()).isEqualTo("held");
		assertThat(this.observer.calls()).extracting(RecordingToolCallObserver.Recorded::outcome)
			.containsExactly(ToolCallOutcome.SUCCESS, ToolCallOutcome.BUSY);
	}

	@Test
	void anErrorThrownOnTheExecutorReachesTheCallerAndTheObserverAndGivesThePermitBack() {
		ToolBug bug = new ToolBug();
		this.registry.register(RegistryTestTool.of("p", (arguments) -> {
			throw bug;
		}).withPermits(this.permits));
		assertThatThrownBy(() -> this.registry.call("p", "{}")).isSameAs(bug);
		assertThat(this.permits.inFlight()).isZero();
		assertThat(this.observer.only().outcome()).isEqualTo(ToolCallOutcome.ERROR);
		assertThat(this.observer.only().failure).isSameAs(bug);
	}

	@Test
	void anObserverFailingOnTheExecutorFailsTheCallWithItsOwnException() {
		IllegalStateException failure = new IllegalStateException("observer bug");
		this.registry.close();
		this.registry = DefaultToolRegistry.builder().observer((tool) -> new ToolCallObserver.Call() {
			@Override
			public ToolCallObserver.Scope openScope() {
				throw failure;
			}

			@Override
			public void stop(ToolCallOutcome outcome, Throwable thrown) {
			}
		}).build();
		this.registry.register(plugin("p"));
		assertThatThrownBy(() -> this.registry.call("p", "{}")).isSameAs(failure);
		assertThat(this.permits.inFlight()).isZero();
	}

	@Test
	void aCallCancelledWhileItWaitsForASlotGivesThePermitBack() throws Exception {
		this.registry.close();
		this.registry = DefaultToolRegistry.builder().executor(recordingExecutor()).maxConcurrentCalls(1).build();
		this.registry.register(holder());
		this.registry.register(plugin("p"));
		CompletableFuture<ToolResult> held = this.registry.callAsync("hold", "{}");
		assertThat(this.holding.await(30, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<ToolResult> waiting = this.registry.callAsync("p", "{}");
		awaitSecondThreadWaiting();
		assertThat(this.permits.inFlight()).isOne();
		assertThat(waiting.cancel(true)).isTrue();
		await(() -> this.permits.inFlight() == 0);
		this.release.countDown();
		assertThat(held.get(30, TimeUnit.SECONDS).text()).isEqualTo("held");
		// finished: cancelling it now changes nothing
		assertThat(held.cancel(true)).isFalse();
		assertThat(held).isNotCancelled();
	}

	@Test
	void aCallerInterruptedWhileItWaitsIsAnsweredKeepsItsInterruptAndStopsTheCall() throws Exception {
		AtomicBoolean toolInterrupted = new AtomicBoolean();
		CountDownLatch started = new CountDownLatch(1);
		this.registry.register(RegistryTestTool.of("block", (arguments) -> {
			started.countDown();
			try {
				new CountDownLatch(1).await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				toolInterrupted.set(true);
			}
			return ToolResult.success(TextNode.valueOf("late"));
		}));
		AtomicReference<ToolResult> result = new AtomicReference<>();
		AtomicBoolean callerInterrupted = new AtomicBoolean();
		Thread caller = new Thread(() -> {
			result.set(this.registry.call("block", "{}"));
			callerInterrupted.set(Thread.currentThread().isInterrupted());
		});
		caller.start();
		assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
		caller.interrupt();
		caller.join(30_000);
		assertThat(result.get().text()).isEqualTo("the call to tool 'block' was interrupted");
		assertThat(callerInterrupted).isTrue();
		await(toolInterrupted::get);
	}

	@Test
	void aFailureAToolNotesAfterCallingAnotherToolIsItsOwn() {
		this.registry.register(RegistryTestTool.of("inner", (arguments) -> ToolResult.success(TextNode.valueOf("in"))));
		this.registry.register(RegistryTestTool.of("outer", (arguments) -> {
			this.registry.call("inner", "{}");
			// what a WebAssembly tool does when its guest traps
			ObservedToolCall.noteFailure(new GuestTrapException(TrapKind.STACK_OVERFLOW, "overflow", null));
			return ToolResult.error("trapped");
		}));
		assertThat(this.registry.call("outer", "{}").text()).isEqualTo("trapped");
		assertThat(this.observer.calls()).extracting((call) -> call.tool + "=" + call.outcome())
			.containsExactly("outer=TRAP", "inner=SUCCESS");
	}

	@Test
	void closingFromAnInterruptedThreadStopsRunningCallsAtOnceAndKeepsTheInterrupt() throws Exception {
		CountDownLatch interrupted = new CountDownLatch(1);
		this.registry.register(interruptible(interrupted, new AtomicReference<>(CompletableFuture.completedFuture(null))));
		this.registry.callAsync("block", "{}");
		assertThat(this.holding.await(30, TimeUnit.SECONDS)).isTrue();
		Thread.currentThread().interrupt();
		this.registry.close();
		assertThat(Thread.interrupted()).isTrue();
		assertThat(interrupted.await(30, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void closingStopsCallsStillRunningAfterItsGracePeriodAndCancelsTheOnesWaitingForASlot() throws Exception {
		this.registry.close();
		this.registry = DefaultToolRegistry.builder().executor(recordingExecutor()).maxConcurrentCalls(1).build();
		CountDownLatch interrupted = new CountDownLatch(1);
		AtomicReference<CompletableFuture<ToolResult>> waitingCall = new AtomicReference<>(
				CompletableFuture.completedFuture(null));
		// keeps the slot until the call waiting for it is stopped as well
		this.registry.register(interruptible(interrupted, waitingCall));
		this.registry.register(plugin("p"));
		CompletableFuture<ToolResult> running = this.registry.callAsync("block", "{}");
		assertThat(this.holding.await(30, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<ToolResult> waiting = this.registry.callAsync("p", "{}");
		waitingCall.set(waiting);
		awaitSecondThreadWaiting();
		// waits five seconds for the running call to end on its own
		this.registry.close();
		assertThat(interrupted.await(30, TimeUnit.SECONDS)).isTrue();
		assertThat(running.get(30, TimeUnit.SECONDS).text()).isEqualTo("interrupted");
		assertThat(waiting).isCancelled();
		assertThat(this.permits.inFlight()).isZero();
	}

	/** The plugin's tool: answers with the name of its thread. */
	private RegistryTestTool plugin(String name) {
		return RegistryTestTool.threadName(name).withPermits(this.permits);
	}

	/** Holds its call (on the executor: it bounds its own time) until the test releases it. */
	private RegistryTestTool holder() {
		return RegistryTestTool.of("hold", (arguments) -> {
			this.holding.countDown();
			this.release.await(30, TimeUnit.SECONDS);
			return ToolResult.success(TextNode.valueOf("held"));
		}).withOwnDeadline();
	}

	/** Blocks until interrupted, then returns once {@code then} is done. */
	private RegistryTestTool interruptible(CountDownLatch interrupted,
			AtomicReference<CompletableFuture<ToolResult>> then) {
		return RegistryTestTool.of("block", (arguments) -> {
			this.holding.countDown();
			try {
				new CountDownLatch(1).await(60, TimeUnit.SECONDS);
				return ToolResult.success(TextNode.valueOf("not interrupted"));
			}
			catch (InterruptedException ex) {
				interrupted.countDown();
				then.get().handle((result, failure) -> result).get(30, TimeUnit.SECONDS);
				return ToolResult.success(TextNode.valueOf("interrupted"));
			}
		}).withOwnDeadline();
	}

	/** Two threads, recorded in the order they start: the second task submitted runs on the second. */
	private ThreadPoolExecutor recordingExecutor() {
		return new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(8), (runnable) -> {
			Thread thread = new Thread(runnable, "recorded-" + this.threads.size());
			thread.setDaemon(true);
			this.threads.add(thread);
			return thread;
		});
	}

	/** The second call's thread parks only where it waits for the slot the first call holds. */
	private void awaitSecondThreadWaiting() throws InterruptedException {
		await(() -> this.threads.size() == 2 && this.threads.get(1).getState() == Thread.State.WAITING);
	}

	private static void await(BooleanSupplier condition) throws InterruptedException {
		for (int i = 0; i < 600 && !condition.getAsBoolean(); i++) {
			Thread.sleep(50);
		}
		assertThat(condition.getAsBoolean()).as("condition met within 30 s").isTrue();
	}

	private static final class ToolBug extends Error {

	}

}
