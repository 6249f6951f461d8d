package io.github.grain.plugin.benchmarks;

import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.grain.plugin.tool.AnnotatedToolFactory;
import io.github.grain.plugin.tool.DefaultToolRegistry;
import io.github.grain.plugin.tool.GrainTool;
import io.github.grain.plugin.tool.ToolJson;
import io.github.grain.plugin.tool.ToolParam;
import io.github.grain.plugin.tool.ToolResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the registry adds to a {@code @GrainTool} bean method: the bare method against
 * {@link DefaultToolRegistry#call(String, JsonNode)} under the registry's call timeout
 * (schema validation, approval, JSON mapping of arguments and result, on an executor
 * thread so the caller can be answered at the deadline), the same call on a registry
 * without a call timeout (on the caller's thread), and {@code callAsync(...).join()}.
 * Same arguments as the engine benchmark: ~300 bytes of JSON.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GrainToolCallBenchmark {

	private final EchoTools bean = new EchoTools();

	private DefaultToolRegistry registry;

	private DefaultToolRegistry registryWithoutDeadline;

	private JsonNode arguments;

	private final String text = "x".repeat(280);

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		ObjectMapper mapper = ToolJson.newMapper();
		this.registry = DefaultToolRegistry.builder().mapper(mapper).build();
		this.registryWithoutDeadline = DefaultToolRegistry.builder().mapper(mapper).callTimeout(null).build();
		for (DefaultToolRegistry each : new DefaultToolRegistry[] { this.registry, this.registryWithoutDeadline }) {
			new AnnotatedToolFactory(mapper).createTools(this.bean, EchoTools.class, "bean:echoTools")
				.forEach(each::register);
		}
		this.arguments = mapper.readTree(FreshInstanceCallBenchmark.ARGS);
		ToolResult result = this.registry.call("echo", this.arguments);
		if (result.isError() || !result.content().get("text").asText().equals(this.text)) {
			throw new IllegalStateException("echo did not echo: " + result);
		}
	}

	@Benchmark
	public EchoTools.Echo bareMethod() {
		return this.bean.echo(this.text, 1);
	}

	@Benchmark
	public ToolResult registryCall() {
		return this.registry.call("echo", this.arguments);
	}

	@Benchmark
	public ToolResult registryCallWithoutDeadline() {
		return this.registryWithoutDeadline.call("echo", this.arguments);
	}

	@Benchmark
	public ToolResult registryCallAsyncJoin() {
		return this.registry.callAsync("echo", this.arguments).join();
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.registry.close();
		this.registryWithoutDeadline.close();
	}

	/** A bean as users write them. */
	public static class EchoTools {

		@GrainTool(name = "echo", description = "Echoes the text n times")
		public Echo echo(@ToolParam(description = "what to echo") String text,
				@ToolParam(description = "how often") int n) {
			return new Echo(text, n);
		}

		public record Echo(String text, int n) {
		}

	}

}
