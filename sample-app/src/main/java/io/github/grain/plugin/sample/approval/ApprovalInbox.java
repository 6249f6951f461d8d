package io.github.grain.plugin.sample.approval;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.grain.plugin.spring.event.ToolApprovalRequestedEvent;
import io.github.grain.plugin.tool.ToolApprovalDecision;
import io.github.grain.plugin.tool.ToolApprovalHandler;
import io.github.grain.plugin.tool.ToolApprovalRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

/**
 * A {@link ToolApprovalHandler} that asks a person: each call waits (on the tool executor,
 * where blocking is allowed) until {@link #answer} is called with its id or the timeout
 * passes, which denies it. Publishes an {@link ApprovalPendingEvent} when a call starts
 * waiting and a {@link ToolApprovalRequestedEvent} with the decision, as the starter's
 * default handler does.
 */
public class ApprovalInbox implements ToolApprovalHandler {

	private static final Log logger = LogFactory.getLog(ApprovalInbox.class);

	private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

	private final Duration timeout;

	private final ApplicationEventPublisher publisher;

	public ApprovalInbox(Duration timeout, ApplicationEventPublisher publisher) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("sample.approval.timeout must be positive: " + timeout);
		}
		this.timeout = timeout;
		this.publisher = Objects.requireNonNull(publisher, "publisher");
	}

	@Override
	public ToolApprovalDecision decide(ToolApprovalRequest request) {
		Waiting call = new Waiting(request, new CompletableFuture<>());
		this.waiting.put(request.callId(), call);
		ToolApprovalDecision decision;
		try {
			this.publisher.publishEvent(new ApprovalPendingEvent(request));
			logger.info("Call '" + request.callId() + "' to tool '" + request.tool().name()
					+ "' waits for a person's approval (up to " + this.timeout + ")");
			decision = call.answer().get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			decision = ToolApprovalDecision.deny("no one answered within " + this.timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			decision = ToolApprovalDecision.deny("the call was cancelled while it waited for approval");
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("the answer to call '" + request.callId() + "' failed", ex.getCause());
		}
		finally {
			this.waiting.remove(request.callId());
		}
		this.publisher.publishEvent(new ToolApprovalRequestedEvent(this, request, decision));
		return decision;
	}

	/** The calls waiting for an answer, oldest first. */
	public List<ToolApprovalRequest> pending() {
		return this.waiting.values()
			.stream()
			.map(Waiting::request)
			.sorted(Comparator.comparing(ToolApprovalRequest::requestedAt))
			.toList();
	}

	/**
	 * Answer a waiting call.
	 * @param callId the call's id, as {@link #pending()} lists it
	 * @param approved whether it may run
	 * @param reason why; a denial's reason reaches the model
	 * @return the call and the decision handed to the registry
	 * @throws UnknownApprovalException if no call with that id waits (any more)
	 */
	public Answered answer(String callId, boolean approved, @Nullable String reason) {
		Waiting call = this.waiting.get(callId);
		String why = (reason != null && !reason.isBlank()) ? reason
				: (approved ? "approved by a person" : "denied by a person");
		ToolApprovalDecision decision = approved ? ToolApprovalDecision.approve(why) : ToolApprovalDecision.deny(why);
		if (call == null || !call.answer().complete(decision)) {
			throw new UnknownApprovalException(callId);
		}
		return new Answered(call.request(), decision);
	}

	/**
	 * A call a person answered.
	 * @param request the call
	 * @param decision the answer
	 */
	public record Answered(ToolApprovalRequest request, ToolApprovalDecision decision) {
	}

	private record Waiting(ToolApprovalRequest request, CompletableFuture<ToolApprovalDecision> answer) {
	}

	/** No call with the given id waits for approval. */
	public static class UnknownApprovalException extends RuntimeException {

		private final String callId;

		UnknownApprovalException(String callId) {
			super("no call '" + callId + "' waits for approval (it was answered, timed out or never existed)");
			this.callId = callId;
		}

		public String callId() {
			return this.callId;
		}

	}

}
