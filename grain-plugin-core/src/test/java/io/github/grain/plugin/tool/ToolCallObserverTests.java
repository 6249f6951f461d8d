package io.github.grain.plugin.tool;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.grain.plugin.engine.GuestTrapException;
import io.github.grain.plugin.engine.PluginBusyException;
import io.github.grain.plugin.engine.TrapKind;
import io.github.grain.plugin.tool.DefaultToolRegistryTests.EchoTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every call through the {@link DefaultToolRegistry}, refused or run, synchronous or not,
 * reaches the {@link ToolCallObserver} once, started on the caller's thread and scoped on
 * the thread that runs the tool.
 */
class ToolCallObserverTests {

	private final RecordingToolCallObserver observer = new RecordingToolCallObserver();

	private DefaultToolRegistry registry = DefaultToolRegistry.builder().observer(this.observer).build();

	@AfterEach
	void close() {
		this.registry.close();
	}

	@Test
	void aSynchronousCallUnderTheCallTimeoutStartsOnTheCallersThreadAndIsScopedOnTheExecutors() {
		this.registry.register(new EchoTool("echo", true));
		this.registry.call("echo", "{\"text\":\"hi\"}");
		RecordingToolCallObserver.Recorded call = this.observer.only();
		assertThat(call.outcome()).isEqualTo(ToolCallOutcome.SUCCESS);
		assertThat(call.startThread).isEqualTo(Thread.currentThread().getName());
		assertThat(call.scopeThreads).singleElement().asString().startsWith("grain-tool-");
		assertThat(call.openScopesAtStop).isZero();
	}

	@Test
	void aCallAbandonedAtTheCallTimeoutIsATimeout() {
		this.registry.close();
		this.registry = DefaultToolRegistry.builder()
			.observer(this.observer)
			.callTimeout(java.time.Duration.ofMillis(200))
			.build();
		CountDownLatch release = new CountDownLatch(1);
		this.registry.register(blocking("stuck", new CountDownLatch(1), release));
		try {
			ToolResult result = this.registry.call("stuck", "{\"text\":\"x\"}");
			assertThat(result.text()).contains("did not answer within its call timeout of 200 ms");
			assertThat(this.observer.only().outcome()).isEqualTo(ToolCallOutcome.TIMEOUT);
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void aSuccessfulCallWithoutACallTimeoutStartsAndRunsOnTheCallersThread() {
		this.registry.close();
		this.registry = DefaultToolRegistry.builder().observer(this.observer).callTimeout(null).build();
		this.registry.register(new EchoTool("echo", true, "bean:echoTools"));
		this.registry.call("echo", "{\"text\":\"hi\"}");
		RecordingToolCallObserver.Recorded call = this.observer.only();
		assertThat(call.tool).isEqualTo("echo");
		assertThat(call.source).isEqualTo("bean:echoTools");
		assertThat(call.outcome()).isEqualTo(ToolCallOutcome.SUCCESS);
		assertThat(call.failure).isNull();
		assertThat(call.startThread).isEqualTo(Thread.currentThread().getName());
		assertThat(call.scopeThreads).containsExactly(Thread.currentThread().getName());
		assertThat(call.openScopes).isZero();
		assertThat(call.openScopesAtStop).isZero();
	}

	@Test
	void anAsyncCallStartsOnTheCallersThreadAndIsScopedOnTheExecutors() throws Exception {
		this.registry.register(new EchoTool("echo", true));
		this.registry.callAsync("echo", "{\"text\":\"hi\"}").get(5, TimeUnit.SECONDS);
		assertThat(this.observer.awaitStops(5)).isTrue();
		RecordingToolCallObserver.Recorded call = this.observer.only();
		assertThat(call.startThread).isEqualTo(Thread.currentThread().getName());
		assertThat(call.scopeThreads).singleElement().asString().startsWith("grain-tool-");
		assertThat(call.outcome()).isEqualTo(ToolCallOutcome.SUCCESS);
		assertThat(call.openScopesAtStop).isZero();
	}

	@Test
	void argumentsThatAreRefusedAreInvalidArgumentsAndTheToolDoesNotRun() {
		EchoTool echo = new EchoTool("echo", true);
		this.registry.register(echo);
		this.registry.call("echo", "{oops");
		this.registry.call("echo", "[1]");
		this.registry.call("echo", "{\"text\":3}");
		assertThat(this.observer.calls()).extracting(RecordingToolCallObserver.Recorded::outcome)
			.containsExactly(ToolCallOutcome.INVALID_ARGUMENTS, ToolCallOutcome.INVALID_ARGUMENTS,
					ToolCallOutcome.INVALID_ARGUMENTS);
		assertThat(echo.calls).hasValue(0);
	}

	@Test
	void aCallTheApprovalHandlerRefusesOrCannotDecideIsDenied() {
		this.registry.close();
		RuntimeException broken = new IllegalStateException("approval service down");
		this.registry = DefaultToolRegistry.builder()
			.observer(this.observer)
			.approvalHandler((request) -> {
				if (request.tool().name().equals("broken")) {
					throw broken;
				}
				return ToolApprovalDecision.deny("not today");
			})
			.build();
		this.registry.register(new EchoTool("mutate", false));
		this.registry.register(new EchoTool("broken", false));
		this.registry.call("mutate", "{\"text\":\"x\"}");
		this.registry.call("broken", "{\"text\":\"x\"}");
		assertThat(this.observer.calls()).extracting(RecordingToolCallObserver.Recorded::outcome)
			.containsExactly(ToolCallOutcome.DENIED, ToolCallOutcome.DENIED);
		assertThat(this.observer.calls().get(1).failure).isSameAs(broken);
	}

	@Test
	void anErrorResultIsAnErrorAndAThrowingToolIsAnErrorWithItsException() {
		RuntimeException thrown = new IllegalArgumentException("no such city");
		this.registry.register(answering("fails", ToolResult.error("the tool says no")));
		this.registry.register(throwing("throws", thrown));
		assertThat(this.registry.call("fails", "{\"text\":\"x\"}").isError()).isTrue();
		assertThat(this.registry.call("throws", "{\"text\":\"x\"}").isError()).isTrue();
		assertThat(this.observer.calls()).extracting(RecordingToolCallObserver.Recorded::outcome)
			.containsExactly(ToolCallOutcome.ERROR, ToolCallOutcome.ERROR);
		assertThat(this.observer.calls().get(1).failure).isSameAs(thrown);
		assertThat(this.observer.calls()).allSatisfy((call) -> assertThat(call.openScopesAtStop).isZero());
	}

	@Test
	void aToolThrowingWhatAGuestThrowsGetsThatOutcome() {
		this.registry.register(throwing("busy", new PluginBusyException("plugin 'p' is busy", java.time.Duration.ofMillis(5))));
		this.registry.register(throwing("slow", new GuestTrapException(TrapKind.DEADLINE, "past deadline", null)));
		this.registry.register(throwing("broken", new GuestTrapException(TrapKind.STACK_OVERFLOW, "overflow", null)));
		for (String tool : new String[] { "busy", "slow", "broken" }) {
			this.registry.call(tool, "{\"text\":\"x\"}");
		}
		assertThat(this.observer.calls()).extracting(RecordingToolCallObserver.Recorded::outcome)
			.containsExactly(ToolCallOutcome.BUSY, ToolCallOutcome.TIMEOUT, ToolCallOutcome.TRAP);
	}

	@Test
	void aCallRefusedBecauseTheCallerMayNotBlockIsStoppedAsAnError() {
		this.registry.close();
		this.registry = DefaultToolRegistry.builder().observer(this.observer).callerMayBlock(() -> false).build();
		this.registry.register(new EchoTool("echo", true));
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> this.registry.call("echo", "{\"text\":\"x\"}"));
		assertThat(this.observer.only().outcome()).isEqualTo(ToolCallOutcome.ERROR);
		assertThat(this.observer.only().failure).isInstanceOf(IllegalStateException.class);
	}

	@Test
	void anUnknownToolIsNotObserved() {
		assertThatExceptionOfType(UnknownToolException.class).isThrownBy(() -> this.registry.call("nope", "{}"));
		assertThat(this.registry.callAsync("nope", "{}")).isCompletedExceptionally();
		assertThat(this.observer.calls()).isEmpty();
	}

	@Test
	void aCallFindingTheExecutorSaturatedIsBusy() throws Exception {
		this.registry.close();
		this.registry = DefaultToolRegistry.builder()
			.observer(this.observer)
			.executor(DefaultToolRegistry.newExecutor(1, 1))
			.build();
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		this.registry.register(blocking("slow", started, release));
		CompletableFuture<ToolResult> running = this.registry.callAsync("slow", "{\"text\":\"1\"}");
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<ToolResult> queued = this.registry.callAsync("slow", "{\"text\":\"2\"}");
		assertThat(this.registry.callAsync("slow", "{\"text\":\"3\"}").get(5, TimeUnit.SECONDS).isError()).isTrue();
		assertThat(this.observer.calls().get(2).outcome()).isEqualTo(ToolCallOutcome.BUSY);
		release.countDown();
		running.get(5, TimeUnit.SECONDS);
		queued.get(5, TimeUnit.SECONDS);
		assertThat(this.observer.calls()).extracting(RecordingToolCallObserver.Recorded::outcome)
			.containsExactly(ToolCallOutcome.SUCCESS, ToolCallOutcome.SUCCESS, ToolCallOutcome.BUSY);
	}

	@Test
	void cancellingARunningOrQueuedCallStopsItOnceAsCancelled() throws Exception {
		this.registry.close();
		this.registry = DefaultToolRegistry.builder()
			.observer(this.observer)
			.executor(DefaultToolRegistry.newExecutor(1, 4))
			.build();
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch never = new CountDownLatch(1);
		this.registry.register(blocking("slow", started, never));
		CompletableFuture<ToolResult> running = this.registry.callAsync("slow", "{\"text\":\"1\"}");
		CompletableFuture<ToolResult> queued = this.registry.callAsync("slow", "{\"text\":\"2\"}");
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(queued.cancel(true)).isTrue();
		assertThat(running.cancel(true)).isTrue();
		// the interrupted tool returns normally afterwards: the call stays cancelled, once
		this.registry.callAsync("slow", "{\"text\":\"3\"}").cancel(true);
		this.registry.close();
		assertThat(this.observer.calls()).hasSize(3)
			.allSatisfy((call) -> assertThat(call.outcome()).isEqualTo(ToolCallOutcome.CANCELLED));
	}

	@Test
	void aToolCallingAToolIsTheParentOfTheInnerCall() {
		this.registry.register(new EchoTool("inner", true));
		this.registry.register(new EchoTool("outer", true) {
			@Override
			public ToolResult call(JsonNode arguments, ToolContext context) {
				RecordingToolCallObserver.Recorded outer = ToolCallObserverTests.this.observer.calls().get(0);
				assertThat(outer.openScopes).isEqualTo(1);
				ToolCallObserverTests.this.registry.call("inner", "{\"text\":\"nested\"}");
				return super.call(arguments, context);
			}
		});
		assertThat(this.registry.call("outer", "{\"text\":\"a\"}").isError()).isFalse();
		assertThat(this.observer.calls()).extracting((call) -> call.tool + "=" + call.outcome())
			.containsExactly("outer=SUCCESS", "inner=SUCCESS");
	}

	private static Tool answering(String name, ToolResult result) {
		return new EchoTool(name, true) {
			@Override
			public ToolResult call(JsonNode arguments, ToolContext context) {
				return result;
			}
		};
	}

	private static Tool throwing(String name, RuntimeException failure) {
		return new EchoTool(name, true) {
			@Override
			public ToolResult call(JsonNode arguments, ToolContext context) {
				throw failure;
			}
		};
	}

	private static Tool blocking(String name, CountDownLatch started, CountDownLatch release) {
		return new EchoTool(name, true) {
			@Override
			public ToolResult call(JsonNode arguments, ToolContext context) {
				started.countDown();
				try {
					release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return super.call(arguments, context);
			}
		};
	}

}
