package io.github.grain.plugin.tool;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CancellationException;

import io.github.grain.plugin.engine.AbiViolationException;
import io.github.grain.plugin.engine.GuestTrapException;
import io.github.grain.plugin.engine.PluginBusyException;
import io.github.grain.plugin.engine.TrapKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What ended a call, as the observers' tag: a guest that ran out of room, time or road,
 * a cancellation, and everything else an error.
 */
class ToolCallOutcomeTests {

	@Test
	void eachFailureIsClassifiedByWhatItSays() {
		assertThat(ToolCallOutcome.ofFailure(new PluginBusyException("busy", Duration.ofMillis(1))))
			.isEqualTo(ToolCallOutcome.BUSY);
		assertThat(ToolCallOutcome.ofFailure(new GuestTrapException(TrapKind.DEADLINE, "late", null)))
			.isEqualTo(ToolCallOutcome.TIMEOUT);
		assertThat(ToolCallOutcome.ofFailure(new GuestTrapException(TrapKind.CANCELLED, "stopped", null)))
			.isEqualTo(ToolCallOutcome.CANCELLED);
		assertThat(ToolCallOutcome.ofFailure(new GuestTrapException(TrapKind.INTEGER_DIVISION_BY_ZERO, "div", null)))
			.isEqualTo(ToolCallOutcome.TRAP);
		assertThat(ToolCallOutcome.ofFailure(new AbiViolationException("pointer out of bounds")))
			.isEqualTo(ToolCallOutcome.TRAP);
		assertThat(ToolCallOutcome.ofFailure(new CancellationException())).isEqualTo(ToolCallOutcome.CANCELLED);
		assertThat(ToolCallOutcome.ofFailure(new InterruptedException())).isEqualTo(ToolCallOutcome.CANCELLED);
		assertThat(ToolCallOutcome.ofFailure(new IllegalStateException("broken"))).isEqualTo(ToolCallOutcome.ERROR);
	}

	@Test
	void tagValuesAreLowerCaseWithHyphens() {
		assertThat(Arrays.stream(ToolCallOutcome.values()).map(ToolCallOutcome::tagValue)).containsExactly("success",
				"error", "invalid-arguments", "denied", "busy", "timeout", "trap", "cancelled");
	}

}
