package io.github.grain.plugin.spring.event;

import java.time.Duration;
import java.util.Objects;

import io.github.grain.plugin.tool.ToolCallOutcome;
import io.github.grain.plugin.tool.ToolDefinition;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;

/**
 * Published once for every call through the tool registry, refusals included, when it
 * ends (for activity feeds and audit logs; metrics come from the {@code grain.tool.call}
 * observation). Like the observation, it carries neither arguments nor results, which may
 * hold secrets. Listeners run on the thread that saw the end, usually the tool executor's.
 */
public class ToolCallEndedEvent extends ApplicationEvent {

	private final ToolDefinition tool;

	private final ToolCallOutcome outcome;

	private final @Nullable String failure;

	private final Duration duration;

	public ToolCallEndedEvent(Object source, ToolDefinition tool, ToolCallOutcome outcome, @Nullable String failure,
			Duration duration) {
		super(source);
		this.tool = Objects.requireNonNull(tool, "tool");
		this.outcome = Objects.requireNonNull(outcome, "outcome");
		this.failure = failure;
		this.duration = Objects.requireNonNull(duration, "duration");
	}

	/** The tool that was called. */
	public ToolDefinition getTool() {
		return this.tool;
	}

	/** How the call ended. */
	public ToolCallOutcome getOutcome() {
		return this.outcome;
	}

	/** What was thrown, as {@code ExceptionClass: message}, when the outcome comes from an exception. */
	public @Nullable String getFailure() {
		return this.failure;
	}

	/** From the call being made to its end, refusals and queueing included. */
	public Duration getDuration() {
		return this.duration;
	}

}
