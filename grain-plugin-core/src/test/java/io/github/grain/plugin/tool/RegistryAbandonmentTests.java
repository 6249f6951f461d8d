package io.github.grain.plugin.tool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.grain.plugin.engine.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls abandoned at the registry's call timeout: the executor gets a thread in place of
 * each abandoned one while no more are abandoned than there are slots, and gives it back
 * once fewer are; an abandoned call's slot is given back once; a call that answered in time
 * is never abandoned, however long its caller takes over the answer on the tool's thread.
 * Waits are bounded only so that a regression fails instead of hanging; nothing here
 * depends on how fast a call runs, except that a tool blocked until released is late.
 */
class RegistryAbandonmentTests {

	private final ListAppender<ILoggingEvent> log = Fixtures.captureLog(DefaultToolRegistry.class.getName());

	private final StuckTools stuck = new StuckTools();

	private final List<String> timeoutThreads = new CopyOnWriteArrayList<>();

	private DefaultToolRegistry registry;

	@AfterEach
	void close() {
		this.stuck.release.release(100);
		this.registry.close();
	}

	@Test
	void theExecutorGrowsByAThreadPerAbandonedOneUpToTheSlotsAndShrinksAsTheyReturn() throws Exception {
		ThreadPoolExecutor pool = (ThreadPoolExecutor) DefaultToolRegistry.newExecutor(1, 8);
		this.registry = stuckRegistry(pool, 1);
		assertThat(timesOut("block_a")).isTrue();
		assertThat(sizes(pool)).isEqualTo("2/2");
		this.stuck.release.release(1);
		awaitReturns(1);
		assertThat(sizes(pool)).isEqualTo("1/1");

		// two abandoned with one slot: only the first gets a thread in its place
		assertThat(timesOut("block_b")).isTrue();
		assertThat(timesOut("block_c")).isTrue();
		assertThat(sizes(pool)).isEqualTo("2/2");
		this.stuck.release.release(1);
		awaitReturns(2);
		assertThat(sizes(pool)).as("one is still abandoned: the added thread stays").isEqualTo("2/2");
		this.stuck.release.release(1);
		awaitReturns(3);
		assertThat(sizes(pool)).isEqualTo("1/1");
		assertThat(this.registry.abandonedThreads()).isZero();
		assertThat(this.registry.abandonedCalls()).isEqualTo(3);

		assertThat(warnings()).containsExactly("block_a: 1 abandoned now; a new thread takes its place",
				"block_b: 1 abandoned now; a new thread takes its place",
				"block_c: 2 abandoned now; no thread takes its place");
		// the registry's own threads do not keep the JVM alive
		assertThat(this.timeoutThreads).containsOnly("grain-tool-deadlines daemon").hasSize(3);
		this.registry.register(RegistryTestTool.of("daemon",
				(arguments) -> ToolResult.success(BooleanNode.valueOf(Thread.currentThread().isDaemon()))));
		assertThat(this.registry.callAsync("daemon", "{}").get(30, TimeUnit.SECONDS).content().asBoolean()).isTrue();
	}

	@Test
	void anExecutorThatIsNotAThreadPoolGetsNoThreadInPlaceOfAnAbandonedOne() throws Exception {
		ExecutorService executor = Executors.newSingleThreadExecutor();
		this.registry = stuckRegistry(executor, null);
		assertThat(timesOut("block_a")).isTrue();
		this.stuck.release.release(1);
		awaitReturns(1);
		assertThat(warnings()).containsExactly("block_a: 1 abandoned now; no thread takes its place");
		assertThat(this.registry.abandonedThreads()).isZero();
		// started from the executor's thread, which is not a daemon, the deadline's thread still is one
		assertThat(this.timeoutThreads).containsExactly("grain-tool-deadlines daemon");
	}

	@Test
	void withoutALimitOfTheirOwnTheSlotsAreAsManyAsTheExecutorsThreads() throws Exception {
		ExecutorService executor = DefaultToolRegistry.newExecutor(1, 8);
		this.registry = DefaultToolRegistry.builder().executor(executor).build();
		CountDownLatch holding = new CountDownLatch(1);
		this.registry.register(RegistryTestTool.of("hold", (arguments) -> {
			holding.countDown();
			this.stuck.release.acquire();
			return ToolResult.success(TextNode.valueOf("held"));
		}).withOwnDeadline());
		this.registry.register(RegistryTestTool.threadName("where").withOwnDeadline());
		CompletableFuture<ToolResult> held = this.registry.callAsync("hold", "{}");
		assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
		executor.shutdown();
		// one thread, one slot: taken, so the call would have to queue on an executor that takes no more
		assertThat(this.registry.call("where", "{}").text())
			.isEqualTo("the host is busy with other tool calls; try again later");
		this.stuck.release.release(1);
		assertThat(held.get(30, TimeUnit.SECONDS).text()).isEqualTo("held");
	}

	@Test
	void anAbandonedCallsSlotIsGivenBackOnceWhenItsThreadReturns() throws Exception {
		ExecutorService executor = DefaultToolRegistry.newExecutor(2, 8);
		this.registry = stuckRegistry(executor, 1);
		CountDownLatch holding = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		this.registry.register(RegistryTestTool.of("hold", (arguments) -> {
			holding.countDown();
			release.await(30, TimeUnit.SECONDS);
			return ToolResult.success(TextNode.valueOf("held"));
		}).withOwnDeadline());
		this.registry.register(RegistryTestTool.threadName("where").withOwnDeadline());
		assertThat(timesOut("block_a")).isTrue();
		this.stuck.release.release(1);
		awaitReturns(1);

		// the only slot taken again, and no thread to queue on: a second slot would let the call run here
		CompletableFuture<ToolResult> held = this.registry.callAsync("hold", "{}");
		assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
		executor.shutdown();
		assertThat(this.registry.call("where", "{}").text())
			.isEqualTo("the host is busy with other tool calls; try again later");
		release.countDown();
		assertThat(held.get(30, TimeUnit.SECONDS).text()).isEqualTo("held");
	}

	@Test
	void aCallThatAnsweredInTimeIsNotAbandonedWhileItsCallerHandlesTheAnswerOnItsThread() throws Exception {
		this.registry = DefaultToolRegistry.builder().callTimeout(Duration.ofSeconds(2)).build();
		CountDownLatch handled = new CountDownLatch(1);
		this.registry.register(RegistryTestTool.of("quick", (arguments) -> {
			handled.await(30, TimeUnit.SECONDS);
			return ToolResult.success(TextNode.valueOf("done"));
		}));
		AtomicBoolean interrupted = new AtomicBoolean();
		CompletableFuture<ToolResult> call = this.registry.callAsync("quick", "{}");
		// runs on the tool's thread as the answer is delivered, and takes longer than the call timeout
		CompletableFuture<ToolResult> slowHandling = call.whenComplete((result, failure) -> {
			try {
				new CountDownLatch(1).await(3, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
			}
		});
		handled.countDown();
		assertThat(slowHandling.get(30, TimeUnit.SECONDS).text()).isEqualTo("done");
		assertThat(interrupted).as("the thread was interrupted as if the tool were stuck").isFalse();
		assertThat(this.registry.abandonedCalls()).isZero();
	}

	private DefaultToolRegistry stuckRegistry(ExecutorService executor, Integer slots) {
		DefaultToolRegistry.Builder builder = DefaultToolRegistry.builder()
			.executor(executor)
			.callTimeout(Duration.ofMillis(100))
			.observer((tool) -> new ToolCallObserver.Call() {
				@Override
				public void stop(ToolCallOutcome outcome, Throwable failure) {
					if (outcome == ToolCallOutcome.TIMEOUT) {
						Thread thread = Thread.currentThread();
						RegistryAbandonmentTests.this.timeoutThreads
							.add(thread.getName() + (thread.isDaemon() ? " daemon" : ""));
					}
				}
			});
		if (slots != null) {
			builder.maxConcurrentCalls(slots);
		}
		DefaultToolRegistry registry = builder.build();
		new AnnotatedToolFactory(ToolJson.newMapper()).createTools(this.stuck, StuckTools.class, "bean:stuck")
			.forEach(registry::register);
		return registry;
	}

	private boolean timesOut(String tool) throws Exception {
		return this.registry.callAsync(tool, "{}")
			.get(30, TimeUnit.SECONDS)
			.text()
			.equals("tool '" + tool + "' did not answer within its call timeout of 100 ms; the call is abandoned");
	}

	/** Wait until the registry has logged that many abandoned calls' threads as returned (its last step). */
	private void awaitReturns(int returned) throws InterruptedException {
		BooleanSupplier done = () -> this.log.list.stream()
			.filter((event) -> event.getLevel() == Level.INFO
					&& event.getFormattedMessage().contains("returned after its call was abandoned"))
			.count() >= returned;
		for (int i = 0; i < 600 && !done.getAsBoolean(); i++) {
			Thread.sleep(50);
		}
		assertThat(done.getAsBoolean()).as("%d abandoned calls returned", returned).isTrue();
	}

	private List<String> warnings() {
		return this.log.list.stream()
			.filter((event) -> event.getLevel() == Level.WARN)
			.map(ILoggingEvent::getFormattedMessage)
			.map((line) -> line.replaceAll("^Tool '(\\w+)'.*\\((\\d+ abandoned now; [^)]*)\\).*$", "$1: $2"))
			.toList();
	}

	private static String sizes(ThreadPoolExecutor pool) {
		return pool.getCorePoolSize() + "/" + pool.getMaximumPoolSize();
	}

}
