package io.github.grain.plugin.benchmarks;

import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.grain.plugin.spring.observation.ObservationToolCallObserver;
import io.github.grain.plugin.tool.AnnotatedToolFactory;
import io.github.grain.plugin.tool.DefaultToolRegistry;
import io.github.grain.plugin.tool.ToolCallObserver;
import io.github.grain.plugin.tool.ToolCallOutcome;
import io.github.grain.plugin.tool.ToolDefinition;
import io.github.grain.plugin.tool.ToolJson;
import io.github.grain.plugin.tool.ToolResult;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What observing a tool call costs: the {@code @GrainTool} bean of
 * {@link GrainToolCallBenchmark} through {@link DefaultToolRegistry#call(String, JsonNode)}
 * with no observer ({@code none}), with the Micrometer observer on
 * {@link ObservationRegistry#NOOP} (an application without a registry: {@code noop}), and
 * on a real registry timing into Prometheus as Boot sets it up
 * ({@link DefaultMeterObservationHandler}: a timer and a long-task timer per tag set;
 * {@code prometheus}), and without the long-task timer
 * ({@code management.metrics.observations.ignored-meters=long-task-timer};
 * {@code prometheus-timer-only}). {@link #observerAlone} is what the registry adds around the tool:
 * start, scope, stop.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ToolCallObservationBenchmark {

	@Param({ "none", "noop", "prometheus", "prometheus-timer-only" })
	public String observer;

	private DefaultToolRegistry registry;

	private PrometheusMeterRegistry meters;

	private JsonNode arguments;

	private ToolCallObserver callObserver;

	private ToolDefinition echo;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		ObjectMapper mapper = ToolJson.newMapper();
		this.callObserver = observer();
		this.registry = DefaultToolRegistry.builder().mapper(mapper).observer(this.callObserver).build();
		new AnnotatedToolFactory(mapper)
			.createTools(new GrainToolCallBenchmark.EchoTools(), GrainToolCallBenchmark.EchoTools.class,
					"bean:echoTools")
			.forEach(this.registry::register);
		this.arguments = mapper.readTree(FreshInstanceCallBenchmark.ARGS);
		this.echo = this.registry.definition("echo").orElseThrow();
		ToolResult result = this.registry.call("echo", this.arguments);
		if (result.isError()) {
			throw new IllegalStateException("echo failed: " + result);
		}
		if (this.meters != null && this.meters.get("grain.tool.call").timer().count() != 1) {
			throw new IllegalStateException("the call was not timed: " + this.meters.scrape());
		}
	}

	private ToolCallObserver observer() {
		return switch (this.observer) {
			case "none" -> ToolCallObserver.NONE;
			case "noop" -> new ObservationToolCallObserver(ObservationRegistry.NOOP, null, (plugin) -> null);
			case "prometheus", "prometheus-timer-only" -> {
				this.meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
				ObservationRegistry observations = ObservationRegistry.create();
				observations.observationConfig()
					.observationHandler(this.observer.equals("prometheus")
							? new DefaultMeterObservationHandler(this.meters)
							: new DefaultMeterObservationHandler(this.meters,
									DefaultMeterObservationHandler.IgnoredMeters.LONG_TASK_TIMER));
				yield new ObservationToolCallObserver(observations, null, (plugin) -> null);
			}
			default -> throw new IllegalArgumentException("observer " + this.observer);
		};
	}

	@Benchmark
	public ToolResult registryCall() {
		return this.registry.call("echo", this.arguments);
	}

	@Benchmark
	public ToolCallObserver.Call observerAlone() {
		ToolCallObserver.Call call = this.callObserver.start(this.echo);
		call.openScope().close();
		call.stop(ToolCallOutcome.SUCCESS, null);
		return call;
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.registry.close();
		if (this.meters != null) {
			this.meters.close();
		}
	}

}
