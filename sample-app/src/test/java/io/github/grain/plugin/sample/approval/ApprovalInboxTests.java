package io.github.grain.plugin.sample.approval;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.grain.plugin.spring.event.ToolApprovalRequestedEvent;
import io.github.grain.plugin.tool.ToolApprovalDecision;
import io.github.grain.plugin.tool.ToolApprovalRequest;
import io.github.grain.plugin.tool.ToolDefinition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The {@link ApprovalInbox} on its own: what a call no one answers gets, and bad settings
 * and answers refused by name.
 */
class ApprovalInboxTests {

	private final List<Object> published = new CopyOnWriteArrayList<>();

	@Test
	void aCallNoOneAnswersIsDeniedWhenTheTimeoutPassesAndLeavesTheInbox() {
		ApprovalInbox inbox = new ApprovalInbox(Duration.ofMillis(20), this.published::add);
		ToolApprovalDecision decision = inbox.decide(request("call-1"));
		assertThat(decision).isEqualTo(ToolApprovalDecision.deny("no one answered within PT0.02S"));
		assertThat(inbox.pending()).isEmpty();
		assertThat(this.published).hasSize(2);
		assertThat(this.published.get(0)).isInstanceOf(ApprovalPendingEvent.class);
		assertThat(((ToolApprovalRequestedEvent) this.published.get(1)).getDecision()).isEqualTo(decision);
	}

	@Test
	void anInterruptedWaitIsDeniedAndKeepsTheInterrupt() {
		ApprovalInbox inbox = new ApprovalInbox(Duration.ofMinutes(5), this.published::add);
		Thread.currentThread().interrupt();
		try {
			assertThat(inbox.decide(request("call-2")).reason())
				.isEqualTo("the call was cancelled while it waited for approval");
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
	}

	@Test
	void anAnswerToNoWaitingCallNamesTheId() {
		ApprovalInbox inbox = new ApprovalInbox(Duration.ofMinutes(5), this.published::add);
		assertThatExceptionOfType(ApprovalInbox.UnknownApprovalException.class)
			.isThrownBy(() -> inbox.answer("nope", true, null))
			.withMessage("no call 'nope' waits for approval (it was answered, timed out or never existed)");
	}

	@Test
	void aTimeoutThatIsNotPositiveIsRefusedByItsPropertyName() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ApprovalInbox(Duration.ZERO, this.published::add))
			.withMessage("sample.approval.timeout must be positive: PT0S");
	}

	private static ToolApprovalRequest request(String callId) {
		ToolDefinition tool = new ToolDefinition("write_note", "Write note", "Saves a note.",
				JsonNodeFactory.instance.objectNode().put("type", "object"), "bean:noteTools", "filesystem", false);
		return new ToolApprovalRequest(callId, tool, JsonNodeFactory.instance.objectNode(), Instant.now());
	}

}
