package io.github.grain.plugin.tool;

import java.util.Locale;
import java.util.concurrent.CancellationException;

import io.github.grain.plugin.engine.AbiViolationException;
import io.github.grain.plugin.engine.GuestTrapException;
import io.github.grain.plugin.engine.PluginBusyException;

/**
 * How a tool call ended, in a small closed vocabulary fit for a metric tag: refusals
 * before the tool ran ({@link #INVALID_ARGUMENTS}, {@link #DENIED}, {@link #BUSY}), the
 * tool's own answer ({@link #SUCCESS}, {@link #ERROR}), and what stopped a guest
 * ({@link #TIMEOUT}, {@link #TRAP}, {@link #CANCELLED}).
 */
public enum ToolCallOutcome {

	/** The tool answered with a result that is not an error. */
	SUCCESS,

	/** The tool answered with an error result, or failed in a way no other outcome names. */
	ERROR,

	/** The arguments were not JSON, not an object, or did not match the tool's schema; the tool did not run. */
	INVALID_ARGUMENTS,

	/** The approval handler refused the call (or failed to decide); the tool did not run. */
	DENIED,

	/** No room to run the call: the registry's queue or the plugin's calls in flight were full. */
	BUSY,

	/** The guest ran past its deadline and was interrupted. */
	TIMEOUT,

	/** The guest trapped or broke the canonical ABI. */
	TRAP,

	/** The call was cancelled (its future, or the thread running it, was interrupted). */
	CANCELLED;

	private final String tagValue = name().toLowerCase(Locale.ROOT).replace('_', '-');

	/** The outcome as a metric tag value: {@code success}, {@code invalid-arguments}, … */
	public String tagValue() {
		return this.tagValue;
	}

	/**
	 * Classify what made a call fail.
	 * @param failure what a tool, a guest or the registry threw
	 * @return {@link #BUSY}, {@link #TIMEOUT}, {@link #CANCELLED}, {@link #TRAP}, else {@link #ERROR}
	 */
	public static ToolCallOutcome ofFailure(Throwable failure) {
		if (failure instanceof PluginBusyException) {
			return BUSY;
		}
		if (failure instanceof GuestTrapException trap) {
			return switch (trap.kind()) {
				case DEADLINE -> TIMEOUT;
				case CANCELLED -> CANCELLED;
				default -> TRAP;
			};
		}
		if (failure instanceof AbiViolationException) {
			return TRAP;
		}
		if (failure instanceof CancellationException || failure instanceof InterruptedException) {
			return CANCELLED;
		}
		return ERROR;
	}

}
