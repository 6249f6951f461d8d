package io.github.grain.plugin.spring.observation;

import java.util.List;

import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.orchestration.HookActionAccepted;
import io.github.grain.plugin.orchestration.HookActionRejected;
import io.github.grain.plugin.orchestration.HookCallFailed;
import io.github.grain.plugin.orchestration.HookOutcome;
import io.github.grain.plugin.tool.ToolCallOutcome;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * What an observation of one plugin's hook call knows: the point, the plugin and, once
 * it ended, its outcomes.
 */
public class HookCallObservationContext extends Observation.Context {

	private final HookPoint point;

	private final String plugin;

	private @Nullable List<HookOutcome> outcomes;

	public HookCallObservationContext(HookPoint point, String plugin) {
		this.point = point;
		this.plugin = plugin;
	}

	public HookPoint getPoint() {
		return this.point;
	}

	public String getPlugin() {
		return this.plugin;
	}

	/** This plugin's outcomes in the dispatch; {@code null} while the call runs. */
	public @Nullable List<HookOutcome> getOutcomes() {
		return this.outcomes;
	}

	public void setOutcomes(List<HookOutcome> outcomes) {
		this.outcomes = List.copyOf(outcomes);
	}

	/**
	 * How the call ended, in the tool calls' vocabulary: {@code success} when the plugin
	 * returned actions (whether or not they were accepted), {@code error} for its
	 * {@code err}, else what stopped the guest ({@code trap}, {@code timeout},
	 * {@code busy}, {@code cancelled}); {@code unknown} while it runs.
	 */
	public String getOutcome() {
		if (this.outcomes == null) {
			return "unknown";
		}
		for (HookOutcome outcome : this.outcomes) {
			if (outcome instanceof HookCallFailed failed) {
				return (failed.cause() != null) ? ToolCallOutcome.ofFailure(failed.cause()).tagValue()
						: ToolCallOutcome.ERROR.tagValue();
			}
		}
		return ToolCallOutcome.SUCCESS.tagValue();
	}

	/** How many actions the plugin returned that were accepted. */
	public long getAccepted() {
		return count(HookActionAccepted.class);
	}

	/** How many actions the plugin returned that were rejected. */
	public long getRejected() {
		return count(HookActionRejected.class);
	}

	private long count(Class<? extends HookOutcome> type) {
		return (this.outcomes != null) ? this.outcomes.stream().filter(type::isInstance).count() : 0;
	}

}
