package io.github.grain.plugin.orchestration;

/**
 * The context handed to {@link HookDispatcher#dispatch} is not one valid JSON value. It is
 * the caller's mistake, so no plugin is called.
 */
public class InvalidHookContextException extends IllegalArgumentException {

	public InvalidHookContextException(String message) {
		super(message);
	}

}
