package io.github.grain.plugin.tool;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The call slots and the "inside a tool call" thread marker, seen without timing: a
 * registry whose executor refuses every task shows which calls ran on the caller's thread
 * (a free slot, or a call nested in a tool) and which would have had to queue (the busy
 * error), so a slot that is never given back or a marker that is never set or cleared is
 * a wrong answer, not a hang. The registries here have no call timeout: a tool under one
 * always runs on the executor (DefaultToolRegistryTests covers that).
 */
class ToolCallSlotsTests {

	private static final ObjectMapper mapper = ToolJson.newMapper();

	private static final String BUSY = "the host is busy with other tool calls; try again later";

	@Test
	void everySynchronousCallGivesItsSlotBack() {
		try (DefaultToolRegistry registry = oneSlot(refusingExecutor())) {
			registry.register(tool("where", (arguments) -> threadName()));
			for (int i = 0; i < 3; i++) {
				assertThat(text(registry.call("where", "{}"))).as("call %d", i)
					.isEqualTo(Thread.currentThread().getName());
			}
		}
	}

	@Test
	void aSynchronousCallThatThrowsAnErrorGivesItsSlotBack() {
		try (DefaultToolRegistry registry = oneSlot(refusingExecutor())) {
			registry.register(tool("fails", (arguments) -> {
				throw new ToolBug();
			}));
			registry.register(tool("where", (arguments) -> threadName()));
			assertThatExceptionOfType(ToolBug.class).isThrownBy(() -> registry.call("fails", "{}"));
			assertThat(text(registry.call("where", "{}"))).isEqualTo(Thread.currentThread().getName());
		}
	}

	@Test
	void aToolCallingAToolSynchronouslyRunsItInlineWithoutASecondSlot() {
		try (DefaultToolRegistry registry = oneSlot(refusingExecutor())) {
			registry.register(tool("where", (arguments) -> threadName()));
			registry.register(tool("outer", (arguments) -> registry.call("where", "{}")));
			assertThat(text(registry.call("outer", "{}"))).isEqualTo(Thread.currentThread().getName());
		}
	}

	@Test
	void theCallersThreadIsNoLongerInsideAToolOnceItsCallReturns() {
		AtomicBoolean mayBlock = new AtomicBoolean(true);
		try (DefaultToolRegistry registry = DefaultToolRegistry.builder()
			.executor(refusingExecutor())
			.maxConcurrentCalls(1)
			.callTimeout(null)
			.callerMayBlock(mayBlock::get)
			.build()) {
			registry.register(tool("where", (arguments) -> threadName()));
			assertThat(text(registry.call("where", "{}"))).isEqualTo(Thread.currentThread().getName());
			mayBlock.set(false);
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> registry.call("where", "{}"))
				.withMessage("ToolRegistry.call blocks and cannot run on thread '" + Thread.currentThread().getName()
						+ "'; use callAsync");
		}
	}

	@Test
	void anAsynchronousCallMarksItsThreadWhileItRunsAndClearsItAfter() throws Exception {
		ExecutorService executor = DefaultToolRegistry.newExecutor(1, 4);
		try (DefaultToolRegistry registry = DefaultToolRegistry.builder()
			.executor(executor)
			.maxConcurrentCalls(1)
			.callTimeout(null)
			.callerMayBlock(() -> false)
			.build()) {
			registry.register(tool("where", (arguments) -> threadName()));
			registry.register(tool("outer", (arguments) -> registry.call("where", "{}")));
			// a nested call is allowed where blocking is not: the executor's thread is inside a tool
			assertThat(text(registry.callAsync("outer", "{}").join())).isEqualTo("grain-tool-1");
			// the same thread's next task is not
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> executor.submit(() -> registry.call("where", "{}")).get())
				.havingCause()
				.isInstanceOf(IllegalStateException.class)
				.withMessage("ToolRegistry.call blocks and cannot run on thread 'grain-tool-1'; use callAsync");
		}
	}

	@Test
	void anAsynchronousCallGivesItsSlotBack() throws Exception {
		ExecutorService executor = DefaultToolRegistry.newExecutor(1, 4);
		try (DefaultToolRegistry registry = oneSlot(executor)) {
			registry.register(tool("where", (arguments) -> threadName()));
			assertThat(text(registry.callAsync("where", "{}").join())).isEqualTo("grain-tool-1");
			// once the executor's thread is past the call, refuse new tasks: a sync call must find the slot free
			executor.submit(() -> { }).get();
			executor.shutdown();
			ToolResult result = registry.call("where", "{}");
			assertThat(result.isError()).as("%s", result).isFalse();
			assertThat(text(result)).isEqualTo(Thread.currentThread().getName());
		}
	}

	@Test
	void aCallFromAnotherThreadWhileTheOnlySlotIsTakenMustQueue() {
		AtomicReference<ToolResult> fromOtherThread = new AtomicReference<>();
		try (DefaultToolRegistry registry = oneSlot(refusingExecutor())) {
			registry.register(tool("where", (arguments) -> threadName()));
			registry.register(tool("outer", (arguments) -> {
				Thread other = new Thread(() -> fromOtherThread.set(registry.call("where", "{}")));
				other.start();
				try {
					other.join();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return threadName();
			}));
			assertThat(text(registry.call("outer", "{}"))).isEqualTo(Thread.currentThread().getName());
		}
		assertThat(fromOtherThread.get().isError()).isTrue();
		assertThat(fromOtherThread.get().content().toString()).contains(BUSY);
	}

	private static DefaultToolRegistry oneSlot(ExecutorService executor) {
		return DefaultToolRegistry.builder().executor(executor).maxConcurrentCalls(1).callTimeout(null).build();
	}

	/** An executor that refuses every task: a call that would have to queue gets the busy error. */
	private static ExecutorService refusingExecutor() {
		ExecutorService executor = Executors.newSingleThreadExecutor();
		executor.shutdown();
		return executor;
	}

	private static ToolResult threadName() {
		return ToolResult.success(TextNode.valueOf(Thread.currentThread().getName()));
	}

	private static String text(ToolResult result) {
		assertThat(result.isError()).as("%s", result).isFalse();
		return result.content().asText();
	}

	private static Tool tool(String name, Function<JsonNode, ToolResult> body) {
		ToolDefinition definition = new ToolDefinition(name, name, "test tool",
				mapper.createObjectNode().put("type", "object"), "test:" + name, null, true);
		return new Tool() {

			@Override
			public ToolDefinition definition() {
				return definition;
			}

			@Override
			public ToolResult call(JsonNode arguments, ToolContext context) {
				return body.apply(arguments);
			}

		};
	}

	private static final class ToolBug extends Error {

	}

}
