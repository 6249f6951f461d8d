package io.github.grain.plugin.spring.event;

import java.time.Duration;
import java.util.Objects;

import io.github.grain.plugin.tool.ToolCallObserver;
import io.github.grain.plugin.tool.ToolDefinition;

import org.springframework.context.ApplicationEventPublisher;

/**
 * A {@link ToolCallObserver} that publishes a {@link ToolCallEndedEvent} as each call ends.
 * The auto-configuration adds it beside the application's observer (the Micrometer one by
 * default), so replacing that observer does not silence the events.
 */
public final class ApplicationEventToolCallObserver implements ToolCallObserver {

	private final ApplicationEventPublisher publisher;

	/**
	 * An observer publishing through the given publisher.
	 * @param publisher usually the application context
	 */
	public ApplicationEventToolCallObserver(ApplicationEventPublisher publisher) {
		this.publisher = Objects.requireNonNull(publisher, "publisher");
	}

	@Override
	public Call start(ToolDefinition tool) {
		long started = System.nanoTime();
		return (outcome, failure) -> this.publisher.publishEvent(new ToolCallEndedEvent(this, tool, outcome,
				(failure != null) ? failure.getClass().getSimpleName() + ": " + failure.getMessage() : null,
				Duration.ofNanos(System.nanoTime() - started)));
	}

}
