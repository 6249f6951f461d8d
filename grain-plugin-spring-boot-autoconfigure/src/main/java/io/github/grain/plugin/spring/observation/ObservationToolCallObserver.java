package io.github.grain.plugin.spring.observation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.github.grain.plugin.tool.ToolCallObserver;
import io.github.grain.plugin.tool.ToolCallOutcome;
import io.github.grain.plugin.tool.ToolDefinition;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Every tool call as an {@link Observation}: created on the caller's thread, so its
 * parent is whatever observation the caller has open (Spring AI's {@code spring.ai.tool},
 * an HTTP request), also for asynchronous calls; opened in scope on the thread that runs
 * the tool, so what the tool does nests under it; stopped with the call's outcome (and
 * its exception, when one ended the call). On a no-op registry nothing is created.
 */
public class ObservationToolCallObserver implements ToolCallObserver {

	private static final ToolCallObservationConvention DEFAULT_CONVENTION = new DefaultToolCallObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable ToolCallObservationConvention convention;

	private final Function<String, @Nullable String> pluginRuntime;

	private final Map<String, Origin> origins = new ConcurrentHashMap<>();

	/**
	 * @param registry where observations go
	 * @param convention names and tags, {@code null} for the default
	 * @param pluginRuntime the runtime a plugin runs on now, by plugin name ({@code null} when not
	 * known); asked at every call of a plugin's tool, so it must be quick
	 */
	public ObservationToolCallObserver(ObservationRegistry registry, @Nullable ToolCallObservationConvention convention,
			Function<String, @Nullable String> pluginRuntime) {
		this.registry = registry;
		this.convention = convention;
		this.pluginRuntime = pluginRuntime;
	}

	@Override
	public Call start(ToolDefinition tool) {
		if (this.registry.isNoop()) {
			return Call.NONE;
		}
		Origin origin = this.origins.computeIfAbsent(tool.source(), ObservationToolCallObserver::origin);
		ToolCallObservationContext context = new ToolCallObservationContext(tool, origin.kind, origin.plugin,
				runtime(origin));
		Observation observation = Observation
			.createNotStarted(this.convention, DEFAULT_CONVENTION, () -> context, this.registry)
			.parentObservation(this.registry.getCurrentObservation())
			.start();
		return new ObservedCall(observation, context);
	}

	/** {@code wasm:<plugin>} tools name their plugin; other sources none. */
	private static Origin origin(String source) {
		int colon = source.indexOf(':');
		String kind = (colon > 0) ? source.substring(0, colon) : source;
		return new Origin(kind, kind.equals("wasm") ? source.substring(colon + 1) : ToolCallObservationContext.NONE);
	}

	/** Asked at every call: a plugin reloaded on another runtime keeps its name. */
	private String runtime(Origin origin) {
		if (origin.plugin.equals(ToolCallObservationContext.NONE)) {
			return ToolCallObservationContext.NONE;
		}
		String runtime = this.pluginRuntime.apply(origin.plugin);
		return (runtime != null) ? runtime : "unknown";
	}

	private record Origin(String kind, String plugin) {
	}

	private static final class ObservedCall implements Call {

		private final Observation observation;

		private final ToolCallObservationContext context;

		ObservedCall(Observation observation, ToolCallObservationContext context) {
			this.observation = observation;
			this.context = context;
		}

		@Override
		public Scope openScope() {
			Observation.Scope scope = this.observation.openScope();
			return scope::close;
		}

		@Override
		public void stop(ToolCallOutcome outcome, @Nullable Throwable failure) {
			this.context.setOutcome(outcome);
			if (failure != null) {
				this.observation.error(failure);
			}
			this.observation.stop();
		}

	}

}
