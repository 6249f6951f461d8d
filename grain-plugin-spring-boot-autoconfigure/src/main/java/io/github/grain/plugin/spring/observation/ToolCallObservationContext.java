package io.github.grain.plugin.spring.observation;

import io.github.grain.plugin.tool.ToolCallOutcome;
import io.github.grain.plugin.tool.ToolDefinition;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * What an observation of one tool call knows: the tool, where it comes from, and, once it
 * ended, how. Never its arguments or result.
 */
public class ToolCallObservationContext extends Observation.Context {

	/** The {@code source} and {@code plugin} (and {@code runtime}) of a tool that is not a plugin's. */
	public static final String NONE = "none";

	private final ToolDefinition tool;

	private final String sourceKind;

	private final String plugin;

	private final String runtime;

	private @Nullable ToolCallOutcome outcome;

	/**
	 * @param tool the tool called
	 * @param sourceKind where the tool comes from: {@code wasm}, {@code bean}, … (its source up to the colon)
	 * @param plugin the plugin that exports it, {@link #NONE} for other tools
	 * @param runtime the runtime the plugin runs on, {@link #NONE} for other tools
	 */
	public ToolCallObservationContext(ToolDefinition tool, String sourceKind, String plugin, String runtime) {
		this.tool = tool;
		this.sourceKind = sourceKind;
		this.plugin = plugin;
		this.runtime = runtime;
	}

	public ToolDefinition getTool() {
		return this.tool;
	}

	public String getSourceKind() {
		return this.sourceKind;
	}

	public String getPlugin() {
		return this.plugin;
	}

	public String getRuntime() {
		return this.runtime;
	}

	/** How the call ended; {@code null} while it runs. */
	public @Nullable ToolCallOutcome getOutcome() {
		return this.outcome;
	}

	public void setOutcome(ToolCallOutcome outcome) {
		this.outcome = outcome;
	}

}
