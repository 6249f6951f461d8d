package io.github.grain.plugin.tool;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DefaultToolRegistryTests {

	private static final ObjectMapper mapper = ToolJson.newMapper();

	private final List<ToolApprovalRequest> approvals = new CopyOnWriteArrayList<>();

	private DefaultToolRegistry registry = registry(ToolApprovalHandler.approveAll());

	@AfterEach
	void close() {
		this.registry.close();
	}

	@Test
	void listsDefinitionsOrderedByNameAndLooksThemUp() {
		this.registry.register(new EchoTool("zeta", true));
		this.registry.register(new EchoTool("alpha", true));
		assertThat(this.registry.definitions()).extracting(ToolDefinition::name).containsExactly("alpha", "zeta");
		assertThat(this.registry.definition("alpha")).get().extracting(ToolDefinition::source).isEqualTo("test:alpha");
		assertThat(this.registry.tool("zeta")).isPresent();
		assertThat(this.registry.contains("missing")).isFalse();
	}

	@Test
	void duplicateNameFailsNamingBothSources() {
		this.registry.register(new EchoTool("echo", true, "wasm:core"));
		assertThatExceptionOfType(DuplicateToolException.class)
			.isThrownBy(() -> this.registry.register(new EchoTool("echo", true, "bean:echoTools")))
			.withMessage("duplicate tool name 'echo': defined by wasm:core and by bean:echoTools");
	}

	@Test
	void toolsCanBeRemovedAndAddedAtRuntime() {
		this.registry.register(new EchoTool("echo", true));
		assertThat(this.registry.unregister("echo")).isPresent();
		assertThat(this.registry.unregister("echo")).isEmpty();
		assertThatExceptionOfType(UnknownToolException.class).isThrownBy(() -> this.registry.call("echo", "{}"));
		this.registry.register(new EchoTool("echo", true));
		assertThat(this.registry.call("echo", "{\"text\":\"back\"}").content().get("text").asText()).isEqualTo("back");
	}

	@Test
	void listenersSeeEveryChangeInOrderWithTheVersionItProduced() {
		List<ToolRegistryChange> changes = new CopyOnWriteArrayList<>();
		long start = this.registry.version();
		ToolRegistry.ListenerRegistration registration = this.registry.addListener(changes::add);
		this.registry.register(new EchoTool("echo", true));
		this.registry.register(new EchoTool("other", true));
		this.registry.unregister("echo");
		this.registry.unregister("echo");
		assertThat(changes).extracting((change) -> change.getClass().getSimpleName() + " " + change.definition().name()
				+ " " + (change.version() - start))
			.containsExactly("Registered echo 1", "Registered other 2", "Unregistered echo 3");
		assertThat(this.registry.version()).isEqualTo(start + 3);
		registration.close();
		this.registry.register(new EchoTool("late", true));
		assertThat(changes).hasSize(3);
	}

	@Test
	void aFailingListenerNeitherUndoesTheChangeNorSilencesTheOthers() {
		List<ToolRegistryChange> seen = new CopyOnWriteArrayList<>();
		this.registry.addListener((change) -> {
			throw new IllegalStateException("listener bug");
		});
		this.registry.addListener(seen::add);
		this.registry.register(new EchoTool("echo", true));
		assertThat(this.registry.contains("echo")).isTrue();
		assertThat(seen).hasSize(1);
	}

	@Test
	void callAttributesReachTheToolsContext() {
		EchoTool echo = new EchoTool("echo", true);
		this.registry.register(echo);
		this.registry.call("echo", "{\"text\":\"hi\"}", Map.of("conversationId", "c-42"));
		assertThat(echo.lastContext.get().attribute("conversationId")).contains("c-42");
		this.registry.callAsync("echo", mapper.createObjectNode().put("text", "hi"), Map.of("session", 7)).join();
		assertThat(echo.lastContext.get().attributes()).containsExactly(Map.entry("session", 7));
		this.registry.call("echo", "{\"text\":\"hi\"}");
		assertThat(echo.lastContext.get().attributes()).isEmpty();
	}

	@Test
	void resultTextIsWhatAReaderOfPlainTextSees() {
		assertThat(ToolResult.invalidArguments("bad arguments", List.of("$.a: missing", "$.b: wrong")).text())
			.isEqualTo("bad arguments: $.a: missing; $.b: wrong");
		assertThat(ToolResult.error("not approved").text()).isEqualTo("not approved");
		assertThat(ToolResult.success(TextNode.valueOf("Hello")).text()).isEqualTo("Hello");
		assertThat(ToolResult.success(mapper.createObjectNode().put("error", "a field")).text())
			.isEqualTo("{\"error\":\"a field\"}");
	}

	@Test
	void aToolWithItsOwnDeadlineRunsOnTheCallersThreadWhenASlotIsFreeAndCallAsyncOnTheExecutor() {
		this.registry.register(new EchoTool("echo", true) {
			@Override
			public boolean hasOwnDeadline() {
				return true;
			}
		});
		ToolResult result = this.registry.call("echo", "{\"text\":\"hi\"}");
		assertThat(result.isError()).isFalse();
		assertThat(result.content().get("thread").asText()).isEqualTo(Thread.currentThread().getName());
		assertThat(this.registry.callAsync("echo", "{\"text\":\"hi\"}").join().content().get("thread").asText())
			.startsWith("grain-tool-");
	}

	@Test
	void aToolUnderTheRegistrysDeadlineRunsOnTheExecutorUnlessThereIsNoDeadline() {
		this.registry.register(new EchoTool("echo", true));
		assertThat(this.registry.callTimeout()).contains(Duration.ofSeconds(10));
		assertThat(this.registry.call("echo", "{\"text\":\"hi\"}").content().get("thread").asText())
			.startsWith("grain-tool-");
		this.registry.close();
		this.registry = DefaultToolRegistry.builder().callTimeout(null).build();
		this.registry.register(new EchoTool("echo", true));
		assertThat(this.registry.call("echo", "{\"text\":\"hi\"}").content().get("thread").asText())
			.isEqualTo(Thread.currentThread().getName());
	}

	@Test
	void blockedBeanToolsAnswerAtTheirDeadlineReleaseTheirSlotsAndLeaveTheOtherCallsAnswering() throws Exception {
		this.registry.close();
		this.registry = DefaultToolRegistry.builder()
			.executor(DefaultToolRegistry.newExecutor(2, 16))
			.maxConcurrentCalls(2)
			.callTimeout(Duration.ofMillis(300))
			.build();
		ListAppender<ILoggingEvent> log = io.github.grain.plugin.engine.Fixtures
			.captureLog(DefaultToolRegistry.class.getName());
		StuckTools stuck = new StuckTools();
		new AnnotatedToolFactory(mapper).createTools(stuck, StuckTools.class, "bean:stuck").forEach(this.registry::register);
		this.registry.register(new EchoTool("echo", true));

		// three calls that never return on their own, more than the two threads: one of them synchronous
		List<CompletableFuture<ToolResult>> blocked = List.of(this.registry.callAsync("block_a", "{}"),
				this.registry.callAsync("block_b", "{}"));
		// bounded waits only so that a regression fails instead of hanging the build
		ToolResult synchronous = CompletableFuture.supplyAsync(() -> this.registry.call("block_c", "{}"))
			.get(30, TimeUnit.SECONDS);
		assertThat(synchronous.isError()).isTrue();
		assertThat(synchronous.content().get("error").asText())
			.isEqualTo("tool 'block_c' did not answer within its call timeout of 300 ms; the call is abandoned");
		for (CompletableFuture<ToolResult> call : blocked) {
			assertThat(call.get(30, TimeUnit.SECONDS).content().get("error").asText())
				.contains("did not answer within its call timeout of 300 ms");
		}
		assertThat(this.registry.abandonedThreads()).isEqualTo(3);
		assertThat(this.registry.abandonedCalls()).isEqualTo(3);

		// every other call still answers, synchronous and asynchronous
		assertThat(CompletableFuture.supplyAsync(() -> this.registry.call("echo", "{\"text\":\"still here\"}"))
			.get(30, TimeUnit.SECONDS)
			.content()
			.get("text")
			.asText()).isEqualTo("still here");
		assertThat(this.registry.callAsync("echo", "{\"text\":\"async\"}").get(30, TimeUnit.SECONDS).isError())
			.isFalse();
		// a tool already holding its share of abandoned threads is refused at once
		assertThat(this.registry.call("block_a", "{}").content().get("error").asText())
			.isEqualTo("tool 'block_a' has 1 call(s) still running past their deadline, its limit; it is not called "
					+ "again until one returns");
		assertThat(log.list).filteredOn((event) -> event.getLevel() == Level.WARN)
			.extracting(ILoggingEvent::getFormattedMessage)
			.hasSize(3)
			.allSatisfy((line) -> assertThat(line).contains("did not return within its call timeout of 300 ms")
				.contains("is abandoned"));

		// when the methods finally return, their threads come back and the tool is called again
		stuck.release.release(3);
		for (int i = 0; i < 300 && this.registry.abandonedThreads() > 0; i++) {
			Thread.sleep(100);
		}
		assertThat(this.registry.abandonedThreads()).isZero();
		assertThat(stuck.interrupts.get()).as("each stuck thread had been interrupted").isEqualTo(3);
		stuck.release.release(1);
		assertThat(this.registry.callAsync("block_a", "{}").get(30, TimeUnit.SECONDS).content().asText())
			.isEqualTo("released");
	}

	@Test
	void aCallFindingEverySlotTakenWaitsInTheQueueAndNeverRunsBeyondTheLimit() throws Exception {
		this.registry.close();
		this.registry = DefaultToolRegistry.builder()
			.executor(DefaultToolRegistry.newExecutor(2, 8))
			.maxConcurrentCalls(1)
			.build();
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch started = new CountDownLatch(1);
		AtomicInteger running = new AtomicInteger();
		AtomicInteger mostAtOnce = new AtomicInteger();
		this.registry.register(new EchoTool("slow", true) {
			@Override
			public ToolResult call(JsonNode arguments, ToolContext context) {
				mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
				started.countDown();
				try {
					release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				running.decrementAndGet();
				return super.call(arguments, context);
			}
		});
		CompletableFuture<ToolResult> first = this.registry.callAsync("slow", "{\"text\":\"1\"}");
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<ToolResult> second = CompletableFuture
			.supplyAsync(() -> this.registry.call("slow", "{\"text\":\"2\"}"));
		CompletableFuture<ToolResult> third = this.registry.callAsync("slow", "{\"text\":\"3\"}");
		Thread.sleep(100);
		assertThat(running.get()).as("the other calls wait while the only slot is taken").isEqualTo(1);
		release.countDown();
		assertThat(first.get(5, TimeUnit.SECONDS).isError()).isFalse();
		ToolResult secondResult = second.get(5, TimeUnit.SECONDS);
		assertThat(secondResult.content().get("thread").asText()).as("it waited in the executor's queue")
			.startsWith("grain-tool-");
		assertThat(third.get(5, TimeUnit.SECONDS).isError()).isFalse();
		assertThat(mostAtOnce.get()).isEqualTo(1);
	}

	@Test
	void asyncCallCompletesWithResult() throws Exception {
		this.registry.register(new EchoTool("echo", true));
		CompletableFuture<ToolResult> future = this.registry.callAsync("echo", mapper.readTree("{\"text\":\"x\"}"));
		assertThat(future.get(5, TimeUnit.SECONDS).content().get("text").asText()).isEqualTo("x");
	}

	@Test
	void asyncCallOfUnknownToolFailsTheFuture() {
		CompletableFuture<ToolResult> future = this.registry.callAsync("nope", "{}");
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(future::get)
			.withCauseInstanceOf(UnknownToolException.class)
			.withMessageContaining("unknown tool 'nope'");
	}

	@Test
	void argumentsViolatingSchemaComeBackAsReadableErrorAndToolDoesNotRun() {
		EchoTool tool = new EchoTool("echo", true);
		this.registry.register(tool);
		ToolResult result = this.registry.call("echo", "{\"text\": 42, \"extra\": true}");
		assertThat(result.isError()).isTrue();
		assertThat(result.content().get("error").asText()).contains("do not match the parameters schema of tool 'echo'");
		assertThat(result.content().get("violations").toString()).contains("$.text").contains("extra");
		assertThat(tool.calls).hasValue(0);
	}

	@Test
	void missingRequiredArgumentIsNamed() {
		this.registry.register(new EchoTool("echo", true));
		ToolResult result = this.registry.call("echo", "{}");
		assertThat(result.isError()).isTrue();
		assertThat(result.content().get("violations").toString()).contains("text");
	}

	@Test
	void malformedJsonArgumentsComeBackAsError() {
		this.registry.register(new EchoTool("echo", true));
		ToolResult result = this.registry.call("echo", "{\"text\": ");
		assertThat(result.isError()).isTrue();
		assertThat(result.content().get("error").asText()).isEqualTo("the arguments are not valid JSON");
	}

	@Test
	void nonObjectArgumentsAreRefused() {
		this.registry.register(new EchoTool("echo", true));
		ToolResult result = this.registry.call("echo", "[1,2]");
		assertThat(result.isError()).isTrue();
		assertThat(result.content().get("error").asText()).isEqualTo("the arguments must be a JSON object");
	}

	@Test
	void readOnlyToolSkipsApproval() {
		this.registry.close();
		this.registry = registry(recording(ToolApprovalHandler.denyAll()));
		this.registry.register(new EchoTool("echo", true));
		assertThat(this.registry.call("echo", "{\"text\":\"a\"}").isError()).isFalse();
		assertThat(this.approvals).isEmpty();
	}

	@Test
	void mutatingToolDeniedByApprovalHandlerDoesNotRun() {
		this.registry.close();
		this.registry = registry(recording((request) -> ToolApprovalDecision.deny("not today")));
		EchoTool tool = new EchoTool("write", false);
		this.registry.register(tool);
		ToolResult result = this.registry.call("write", "{\"text\":\"a\"}");
		assertThat(result.isError()).isTrue();
		assertThat(result.content().get("error").asText())
			.isEqualTo("the call to tool 'write' was not approved: not today");
		assertThat(tool.calls).hasValue(0);
		assertThat(this.approvals).singleElement().satisfies((request) -> {
			assertThat(request.tool().name()).isEqualTo("write");
			assertThat(request.arguments().get("text").asText()).isEqualTo("a");
		});
	}

	@Test
	void mutatingToolApprovedRunsWithSameCallIdInContext() {
		this.registry.close();
		this.registry = registry(recording(ToolApprovalHandler.approveAll()));
		EchoTool tool = new EchoTool("write", false);
		this.registry.register(tool);
		assertThat(this.registry.call("write", "{\"text\":\"a\"}").isError()).isFalse();
		assertThat(tool.lastContext.get().callId()).isEqualTo(this.approvals.get(0).callId());
	}

	@Test
	void theApprovalHandlerAndTheToolSeeWhoCalled() {
		this.registry.close();
		this.registry = registry(recording((request) -> request.principal().filter("alice"::equals).isPresent()
				? ToolApprovalDecision.approve("alice may") : ToolApprovalDecision.deny("only alice may")));
		EchoTool tool = new EchoTool("write", false);
		this.registry.register(tool);
		JsonNode arguments = mapper.createObjectNode().put("text", "a");
		assertThat(this.registry.call("write", arguments, Map.of(ToolContext.PRINCIPAL, "alice")).isError()).isFalse();
		assertThat(tool.lastContext.get().principal()).hasValue("alice");
		assertThat(this.registry.callAsync("write", arguments, Map.of(ToolContext.PRINCIPAL, "mallory")).join()
			.text()).isEqualTo("the call to tool 'write' was not approved: only alice may");
		assertThat(this.registry.call("write", arguments).isError()).isTrue();
		assertThat(this.approvals).extracting((request) -> request.principal().orElse("anonymous"))
			.containsExactly("alice", "mallory", "anonymous");
		assertThat(this.approvals.get(0).attributes()).containsEntry(ToolContext.PRINCIPAL, "alice");
		assertThat(tool.calls).hasValue(1);
	}

	@Test
	void aCallerOverItsRateGetsABusyResultWithRetryAfterAndTheToolDoesNotRun() {
		this.registry.close();
		RecordingToolCallObserver observer = new RecordingToolCallObserver();
		this.registry = DefaultToolRegistry.builder()
			.rateLimiter(CallRateLimiter.perCaller(0.001, 2))
			.observer(observer)
			.build();
		EchoTool tool = new EchoTool("echo", true);
		this.registry.register(tool);
		JsonNode arguments = mapper.createObjectNode().put("text", "a");
		Map<String, Object> alice = Map.of(ToolContext.PRINCIPAL, "alice");
		assertThat(this.registry.call("echo", arguments, alice).isError()).isFalse();
		assertThat(this.registry.callAsync("echo", arguments, alice).join().isError()).isFalse();
		ToolResult refused = this.registry.call("echo", arguments, alice);
		assertThat(refused.isError()).isTrue();
		assertThat(refused.content().get("error").asText()).startsWith(
				"too many tool calls from caller 'alice' (at most 0.001 a second, 2 at once); the call to tool 'echo' "
						+ "was not run; try again in ");
		assertThat(refused.content().get("retryAfterMs").asLong()).isBetween(1L, 1_000_000L);
		assertThat(this.registry.callAsync("echo", arguments, alice).join().content().has("retryAfterMs")).isTrue();
		assertThat(tool.calls).hasValue(2);
		// another caller, and anonymous callers, have buckets of their own
		assertThat(this.registry.call("echo", arguments, Map.of(ToolContext.PRINCIPAL, "bob")).isError()).isFalse();
		assertThat(this.registry.call("echo", "{\"text\":\"a\"}").isError()).isFalse();
		assertThat(tool.calls).hasValue(4);
		assertThat(observer.calls()).extracting(RecordingToolCallObserver.Recorded::outcome)
			.containsExactly(ToolCallOutcome.SUCCESS, ToolCallOutcome.SUCCESS, ToolCallOutcome.BUSY, ToolCallOutcome.BUSY,
					ToolCallOutcome.SUCCESS, ToolCallOutcome.SUCCESS);
	}

	@Test
	void callsARunningToolMakesAreNotCountedAgainstItsCaller() {
		this.registry.close();
		this.registry = DefaultToolRegistry.builder().rateLimiter(CallRateLimiter.perCaller(0.001, 1)).build();
		this.registry.register(new EchoTool("inner", true));
		AtomicReference<ToolResult> inner = new AtomicReference<>();
		this.registry.register(new EchoTool("outer", true) {
			@Override
			public ToolResult call(JsonNode arguments, ToolContext context) {
				inner.set(DefaultToolRegistryTests.this.registry.call("inner", arguments, context.attributes()));
				return super.call(arguments, context);
			}
		});
		assertThat(this.registry.call("outer", mapper.createObjectNode().put("text", "a"),
				Map.of(ToolContext.PRINCIPAL, "alice")).isError()).isFalse();
		assertThat(inner.get().isError()).isFalse();
	}

	@Test
	void failingApprovalHandlerRefusesTheCall() {
		this.registry.close();
		this.registry = registry((request) -> {
			throw new IllegalStateException("approval service down");
		});
		this.registry.register(new EchoTool("write", false));
		ToolResult result = this.registry.call("write", "{\"text\":\"a\"}");
		assertThat(result.isError()).isTrue();
		assertThat(result.content().get("error").asText()).contains("could not be approved");
	}

	@Test
	void toolThrowingIsAnErrorResult() {
		this.registry.register(new EchoTool("boom", true) {
			@Override
			public ToolResult call(JsonNode arguments, ToolContext context) {
				throw new IllegalArgumentException("bad input");
			}
		});
		ToolResult result = this.registry.call("boom", "{\"text\":\"a\"}");
		assertThat(result.isError()).isTrue();
		assertThat(result.content().get("error").asText()).isEqualTo("bad input");
	}

	@Test
	void contextCarriesTheSandbox(@TempDir Path root) {
		SandboxPolicy sandbox = SandboxPolicy.rootedAt(root);
		this.registry.close();
		this.registry = DefaultToolRegistry.builder().sandbox(sandbox).build();
		EchoTool tool = new EchoTool("echo", true);
		this.registry.register(tool);
		this.registry.call("echo", "{\"text\":\"a\"}");
		assertThat(tool.lastContext.get().sandbox()).isSameAs(sandbox);
		assertThat(tool.lastContext.get().toolName()).isEqualTo("echo");
	}

	@Test
	void blockingCallIsRefusedWhereTheCallerMayNotBlock() {
		this.registry.close();
		this.registry = DefaultToolRegistry.builder().callerMayBlock(() -> false).build();
		this.registry.register(new EchoTool("echo", true));
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> this.registry.call("echo", "{\"text\":\"a\"}"))
			.withMessageContaining("use callAsync");
		assertThat(this.registry.callAsync("echo", "{\"text\":\"a\"}").join().isError()).isFalse();
	}

	@Test
	void toolCallingAnotherToolRunsInlineWithoutExhaustingThePool() {
		this.registry.close();
		this.registry = DefaultToolRegistry.builder().executor(DefaultToolRegistry.newExecutor(1, 1)).build();
		this.registry.register(new EchoTool("inner", true));
		AtomicReference<ToolResult> inner = new AtomicReference<>();
		this.registry.register(new EchoTool("outer", true) {
			@Override
			public ToolResult call(JsonNode arguments, ToolContext context) {
				inner.set(DefaultToolRegistryTests.this.registry.call("inner", "{\"text\":\"nested\"}"));
				return super.call(arguments, context);
			}
		});
		assertThat(this.registry.call("outer", "{\"text\":\"a\"}").isError()).isFalse();
		assertThat(inner.get().content().get("text").asText()).isEqualTo("nested");
	}

	@Test
	void saturatedExecutorAnswersWithBusyError() throws Exception {
		this.registry.close();
		this.registry = DefaultToolRegistry.builder().executor(DefaultToolRegistry.newExecutor(1, 1)).build();
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch started = new CountDownLatch(1);
		this.registry.register(new EchoTool("slow", true) {
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
		});
		CompletableFuture<ToolResult> running = this.registry.callAsync("slow", "{\"text\":\"1\"}");
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<ToolResult> queued = this.registry.callAsync("slow", "{\"text\":\"2\"}");
		ToolResult refused = this.registry.callAsync("slow", "{\"text\":\"3\"}").get(5, TimeUnit.SECONDS);
		assertThat(refused.isError()).isTrue();
		assertThat(refused.content().get("error").asText()).contains("busy");
		release.countDown();
		assertThat(running.get(5, TimeUnit.SECONDS).isError()).isFalse();
		assertThat(queued.get(5, TimeUnit.SECONDS).isError()).isFalse();
	}

	@Test
	void cancellingAnAsyncCallInterruptsItsThreadAndNotTheNextTask() throws Exception {
		this.registry.close();
		this.registry = DefaultToolRegistry.builder().executor(DefaultToolRegistry.newExecutor(1, 4)).build();
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch interrupted = new CountDownLatch(1);
		this.registry.register(new EchoTool("slow", true) {
			@Override
			public ToolResult call(JsonNode arguments, ToolContext context) {
				started.countDown();
				try {
					Thread.sleep(60_000);
				}
				catch (InterruptedException ex) {
					interrupted.countDown();
					Thread.currentThread().interrupt();
				}
				return super.call(arguments, context);
			}
		});
		AtomicReference<Boolean> nextSawInterrupt = new AtomicReference<>();
		this.registry.register(new EchoTool("next", true) {
			@Override
			public ToolResult call(JsonNode arguments, ToolContext context) {
				nextSawInterrupt.set(Thread.currentThread().isInterrupted());
				return super.call(arguments, context);
			}
		});
		CompletableFuture<ToolResult> running = this.registry.callAsync("slow", "{\"text\":\"1\"}");
		CompletableFuture<ToolResult> queued = this.registry.callAsync("slow", "{\"text\":\"2\"}");
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(queued.cancel(true)).isTrue();
		assertThat(running.cancel(true)).isTrue();
		assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(running).isCancelled();
		// One thread: the cancelled call's interrupt must not leak into the next task, and the
		// queued call that was cancelled never runs (it would block for a minute).
		assertThat(this.registry.callAsync("next", "{\"text\":\"3\"}").get(5, TimeUnit.SECONDS).isError()).isFalse();
		assertThat(nextSawInterrupt.get()).isFalse();
	}

	@Test
	void argumentsLargerThanTheLimitAreAnErrorNamingSizeAndLimitWhicheverWayTheyCome() throws Exception {
		this.registry.close();
		this.registry = DefaultToolRegistry.builder().maxArgumentsBytes(64).build();
		EchoTool echo = new EchoTool("echo", true);
		this.registry.register(echo);
		// {"text":"…"} is 11 bytes around the text; é takes two bytes in UTF-8
		String atTheLimit = "{\"text\":\"" + "é".repeat(26) + "a\"}";
		String overTheLimit = "{\"text\":\"" + "é".repeat(27) + "\"}";
		String refusal = "the arguments of tool 'echo' take 65 bytes of JSON, more than the limit of 64 bytes";
		assertThat(this.registry.call("echo", overTheLimit).content().get("error").asText()).isEqualTo(refusal);
		assertThat(this.registry.callAsync("echo", overTheLimit).get(5, TimeUnit.SECONDS).content().get("error").asText())
			.isEqualTo(refusal);
		JsonNode node = mapper.readTree(overTheLimit);
		assertThat(this.registry.call("echo", node).content().get("error").asText()).isEqualTo(refusal);
		assertThat(this.registry.callAsync("echo", node).get(5, TimeUnit.SECONDS).content().get("error").asText())
			.isEqualTo(refusal);
		assertThat(echo.calls).hasValue(0);
		assertThat(this.registry.call("echo", atTheLimit).isError()).isFalse();
		assertThat(this.registry.call("echo", mapper.readTree(atTheLimit)).isError()).isFalse();
		assertThat(echo.calls).hasValue(2);
		assertThat(this.registry.maxArgumentsBytes()).isEqualTo(64);
		try (DefaultToolRegistry defaults = DefaultToolRegistry.builder().build()) {
			assertThat(defaults.maxArgumentsBytes()).isEqualTo(1024 * 1024);
		}
	}

	@Test
	void invalidSchemaIsRefusedAtRegistration() {
		Tool broken = new EchoTool("broken", true) {
			@Override
			public ToolDefinition definition() {
				return new ToolDefinition("broken", "Broken", "", mapper.createObjectNode().put("type", 12), "test:broken",
						null, true);
			}
		};
		assertThatExceptionOfType(InvalidToolException.class).isThrownBy(() -> this.registry.register(broken))
			.withMessageContaining("tool 'broken' from test:broken");
	}

	private DefaultToolRegistry registry(ToolApprovalHandler approvalHandler) {
		return DefaultToolRegistry.builder().approvalHandler(approvalHandler).build();
	}

	private ToolApprovalHandler recording(ToolApprovalHandler delegate) {
		return (request) -> {
			this.approvals.add(request);
			return delegate.decide(request);
		};
	}

	static class EchoTool implements Tool {

		final AtomicInteger calls = new AtomicInteger();

		final AtomicReference<ToolContext> lastContext = new AtomicReference<>();

		private final ToolDefinition definition;

		EchoTool(String name, boolean readOnly) {
			this(name, readOnly, "test:" + name);
		}

		EchoTool(String name, boolean readOnly, String source) {
			try {
				this.definition = new ToolDefinition(name, name, "echoes text",
						mapper.readTree("""
								{"type":"object","properties":{"text":{"type":"string"}},
								 "required":["text"],"additionalProperties":false}
								"""), source, null, readOnly);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public ToolDefinition definition() {
			return this.definition;
		}

		@Override
		public ToolResult call(JsonNode arguments, ToolContext context) {
			this.calls.incrementAndGet();
			this.lastContext.set(context);
			return ToolResult.success(mapper.createObjectNode()
				.put("text", arguments.get("text").asText())
				.set("thread", TextNode.valueOf(Thread.currentThread().getName())));
		}

	}

}
