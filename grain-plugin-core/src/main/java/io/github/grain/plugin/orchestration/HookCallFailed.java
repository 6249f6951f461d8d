package io.github.grain.plugin.orchestration;

import java.util.Objects;
import java.util.UUID;

import io.github.grain.plugin.engine.AbiViolationException;
import io.github.grain.plugin.engine.GuestTrapException;
import io.github.grain.plugin.engine.wit.HookPoint;
import org.jspecify.annotations.Nullable;

/**
 * A plugin's hook call produced no actions: the guest returned {@code err}, trapped, ran
 * past its deadline or broke the ABI. The other plugins of the dispatch are unaffected.
 * @param dispatchId the dispatch the call belongs to
 * @param plugin the plugin that was called
 * @param point the hook point that was called
 * @param kind what went wrong
 * @param message the guest's {@code err} text, or the exception's message
 * @param cause the exception, {@code null} for {@link Kind#GUEST_ERROR}
 */
public record HookCallFailed(UUID dispatchId, String plugin, HookPoint point, Kind kind, String message,
		@Nullable RuntimeException cause) implements HookOutcome {

	public HookCallFailed {
		Objects.requireNonNull(dispatchId, "dispatchId");
		Objects.requireNonNull(plugin, "plugin");
		Objects.requireNonNull(point, "point");
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(message, "message");
	}

	/**
	 * Classify an exception thrown by a hook call.
	 * @param failure the exception
	 * @return its kind
	 */
	static Kind kindOf(RuntimeException failure) {
		if (failure instanceof GuestTrapException trap) {
			return trap.isDeadline() ? Kind.DEADLINE : Kind.TRAP;
		}
		if (failure instanceof AbiViolationException) {
			return Kind.ABI_VIOLATION;
		}
		return Kind.HOST_ERROR;
	}

	/**
	 * Why a hook call failed.
	 */
	public enum Kind {

		/** The hook returned {@code err(message)}. */
		GUEST_ERROR,

		/** The guest trapped (unreachable, out-of-bounds access, stack overflow, …). */
		TRAP,

		/** The guest ran past the call deadline and was interrupted. */
		DEADLINE,

		/** The guest broke the canonical ABI. */
		ABI_VIOLATION,

		/** The host could not make the call (for example the plugin was closed meanwhile). */
		HOST_ERROR

	}

}
