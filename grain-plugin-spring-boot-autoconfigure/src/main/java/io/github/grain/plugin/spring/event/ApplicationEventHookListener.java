package io.github.grain.plugin.spring.event;

import java.util.Objects;

import io.github.grain.plugin.engine.wit.HostAction;
import io.github.grain.plugin.orchestration.HookActionAccepted;
import io.github.grain.plugin.orchestration.HookActionRejected;
import io.github.grain.plugin.orchestration.HookCallFailed;
import io.github.grain.plugin.orchestration.HookListener;

import org.springframework.context.ApplicationEventPublisher;

/**
 * A {@link HookListener} that publishes every outcome as an application event:
 * {@link HookActionAcceptedEvent}, {@link HookActionRejectedEvent} or
 * {@link HookCallFailedEvent}. Synchronous: listeners run on the dispatching thread, in
 * dispatch order, unless they are {@code @Async}.
 */
public final class ApplicationEventHookListener implements HookListener {

	private final ApplicationEventPublisher publisher;

	/**
	 * A listener publishing through the given publisher.
	 * @param publisher usually the application context
	 */
	public ApplicationEventHookListener(ApplicationEventPublisher publisher) {
		this.publisher = Objects.requireNonNull(publisher, "publisher");
	}

	@Override
	public void onAccepted(HookActionAccepted<?> accepted) {
		this.publisher.publishEvent(acceptedEvent(accepted));
	}

	private static <A extends HostAction> HookActionAcceptedEvent<A> acceptedEvent(HookActionAccepted<A> accepted) {
		return new HookActionAcceptedEvent<>(accepted);
	}

	@Override
	public void onRejected(HookActionRejected rejected) {
		this.publisher.publishEvent(new HookActionRejectedEvent(rejected));
	}

	@Override
	public void onFailed(HookCallFailed failed) {
		this.publisher.publishEvent(new HookCallFailedEvent(failed));
	}

}
