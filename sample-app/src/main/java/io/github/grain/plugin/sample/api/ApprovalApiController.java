package io.github.grain.plugin.sample.api;

import java.util.List;

import io.github.grain.plugin.sample.api.ApprovalViews.AnswerBody;
import io.github.grain.plugin.sample.api.ApprovalViews.ApprovalsView;
import io.github.grain.plugin.sample.api.ApprovalViews.DecisionView;
import io.github.grain.plugin.sample.api.ApprovalViews.PendingView;
import io.github.grain.plugin.sample.approval.ApprovalInbox;
import io.github.grain.plugin.sample.approval.ApprovalInbox.UnknownApprovalException;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/approvals} lists the calls waiting for a person,
 * {@code POST /api/approvals/{id}} with {@code {"approved": true|false, "reason": "..."}}
 * answers one. Only {@code sample.approval.mode=ask} holds calls for a person.
 */
@RestController
@RequestMapping("/api/approvals")
class ApprovalApiController {

	private final @Nullable ApprovalInbox inbox;

	ApprovalApiController(ObjectProvider<ApprovalInbox> inbox) {
		this.inbox = inbox.getIfAvailable();
	}

	@GetMapping
	ApprovalsView approvals() {
		ApprovalInbox inbox = this.inbox;
		return (inbox != null) ? new ApprovalsView("ask", inbox.pending().stream().map(PendingView::of).toList())
				: new ApprovalsView("configured", List.of());
	}

	@PostMapping("/{id}")
	DecisionView answer(@PathVariable String id, @RequestBody(required = false) @Nullable AnswerBody body) {
		ApprovalInbox inbox = this.inbox;
		if (inbox == null) {
			throw new NotAskingException();
		}
		if (body == null || body.approved() == null) {
			throw new InvalidAnswerException(
					"the body must be a JSON object with a boolean \"approved\" (and an optional \"reason\")");
		}
		ApprovalInbox.Answered answered = inbox.answer(id, body.approved(), body.reason());
		return DecisionView.of(answered.request(), answered.decision());
	}

	@ExceptionHandler(UnknownApprovalException.class)
	ProblemDetail unknownApproval(UnknownApprovalException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
		problem.setTitle("Unknown approval");
		problem.setProperty("id", ex.callId());
		return problem;
	}

	@ExceptionHandler(NotAskingException.class)
	ProblemDetail notAsking(NotAskingException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
		problem.setTitle("Approvals are not asked");
		return problem;
	}

	@ExceptionHandler(InvalidAnswerException.class)
	ProblemDetail invalidAnswer(InvalidAnswerException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setTitle("Invalid approval answer");
		return problem;
	}

	/** The sample decides from configuration: there is nothing to answer. */
	static class NotAskingException extends RuntimeException {

		NotAskingException() {
			super("approvals are decided by grain.plugins.approval.*; start the sample with"
					+ " sample.approval.mode=ask to answer them here");
		}

	}

	/** The answer's body is missing or has no boolean {@code approved}. */
	static class InvalidAnswerException extends RuntimeException {

		InvalidAnswerException(String message) {
			super(message);
		}

	}

}
