package io.github.grain.plugin.tool;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What the registry checks before a call runs (the size of the arguments, counted in UTF-8
 * without encoding them; missing arguments; unknown tools) and what its builder refuses.
 */
class RegistryArgumentsTests {

	private DefaultToolRegistry registry = DefaultToolRegistry.builder().build();

	@AfterEach
	void close() {
		this.registry.close();
	}

	@Test
	void theSizeOfTextArgumentsIsTheirUtf8LengthWithLoneSurrogatesAsThreeBytes() {
		this.registry.close();
		this.registry = DefaultToolRegistry.builder().maxArgumentsBytes(2).build();
		this.registry.register(arguments("size"));
		// refused before it is parsed: the text need not be JSON, and the message tells its size
		String text = "\u007f" // 1 byte, the last of one byte
				+ "\u0080\u07ff" // 2 bytes each, the first and last of two
				+ "\u0800\uffff" // 3 bytes each, the first and last of three
				+ "\ud800\udc00" // U+10000: one code point, 4 bytes
				+ "\udc00a" // a lone low surrogate (3) and a
				+ "\ud83da" // a lone high surrogate (3) and a
				+ "\ud83d"; // a lone high surrogate at the very end (3)
		assertThat(this.registry.call("size", text).text())
			.isEqualTo("the arguments of tool 'size' take 26 bytes of JSON, more than the limit of 2 bytes");
	}

	@Test
	void twoBytesOfArgumentsAreTheLeastLimitRoomForAnEmptyObject() {
		this.registry.close();
		this.registry = DefaultToolRegistry.builder().maxArgumentsBytes(2).build();
		this.registry.register(arguments("echo"));
		assertThat(this.registry.call("echo", "{}").text()).isEqualTo("{}");
		assertThat(this.registry.call("echo", "{ }").text())
			.isEqualTo("the arguments of tool 'echo' take 3 bytes of JSON, more than the limit of 2 bytes");
		assertThatIllegalArgumentException().isThrownBy(() -> DefaultToolRegistry.builder().maxArgumentsBytes(1))
			.withMessage("maxArgumentsBytes must leave room for '{}': 1");
	}

	@Test
	void noArgumentsTextIsAnEmptyObjectAndANullValueIsNotAnObject() throws Exception {
		this.registry.register(arguments("echo"));
		assertThat(this.registry.call("echo", (String) null).text()).isEqualTo("{}");
		assertThat(this.registry.call("echo", " \n\t").text()).isEqualTo("{}");
		assertThat(this.registry.callAsync("echo", (String) null).get(30, TimeUnit.SECONDS).text()).isEqualTo("{}");
		assertThat(this.registry.call("echo", (JsonNode) null).text())
			.isEqualTo("the arguments must be a JSON object: $: null found, object expected");
	}

	@Test
	void textThatIsNotJsonIsAnErrorSayingWhereItGoesWrong() {
		this.registry.register(arguments("echo"));
		// the stray ']' is the fifth character of the second line
		assertThat(this.registry.call("echo", "{\"a\":\n [1,]}").text())
			.startsWith("the arguments are not valid JSON: Unexpected character (']' (code 93))")
			.endsWith(" (line 2, column 5)");
	}

	@Test
	void anAsynchronousCallOfAnUnknownToolFailsItsFutureWhicheverWayTheArgumentsCome() {
		for (CompletableFuture<ToolResult> call : new CompletableFuture[] { this.registry.callAsync("nope", "{}"),
				this.registry.callAsync("nope", ToolJson.newMapper().createObjectNode()) }) {
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.get(30, TimeUnit.SECONDS))
				.withCauseInstanceOf(UnknownToolException.class);
		}
	}

	@Test
	void theBuilderRefusesNonPositiveLimitsAndTimeouts() {
		assertThatIllegalArgumentException().isThrownBy(() -> DefaultToolRegistry.builder().maxConcurrentCalls(0))
			.withMessage("maxConcurrentCalls must be positive: 0");
		assertThatIllegalArgumentException().isThrownBy(() -> DefaultToolRegistry.builder().callTimeout(Duration.ZERO))
			.withMessage("callTimeout must be positive: PT0S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DefaultToolRegistry.builder().callTimeout(Duration.ofMillis(-1)))
			.withMessage("callTimeout must be positive: PT-0.001S");
		assertThatIllegalArgumentException().isThrownBy(() -> DefaultToolRegistry.newExecutor(0, 1))
			.withMessage("threads and queue capacity must be positive: 0, 1");
		assertThatIllegalArgumentException().isThrownBy(() -> DefaultToolRegistry.newExecutor(1, 0))
			.withMessage("threads and queue capacity must be positive: 1, 0");
		this.registry.close();
		this.registry = DefaultToolRegistry.builder()
			.executor(DefaultToolRegistry.newExecutor(1, 1))
			.maxConcurrentCalls(1)
			.callTimeout(Duration.ofNanos(1_000_000_000))
			.build();
		assertThat(this.registry.callTimeout()).contains(Duration.ofSeconds(1));
		this.registry.register(arguments("echo"));
		assertThat(this.registry.call("echo", "{\"a\":1}").text()).isEqualTo("{\"a\":1}");
	}

	/** Answers with the arguments it was given. */
	private static Tool arguments(String name) {
		return RegistryTestTool.of(name, (arguments) -> ToolResult.success(TextNode.valueOf(arguments.toString())));
	}

}
