package io.github.grain.plugin.orchestration;

/**
 * Hears what a {@link HookDispatcher} decides, as it decides it: one call per accepted
 * action, per rejected action and per failed hook call, in dispatch order, on the
 * dispatching thread. The Spring adapter publishes each as an application event.
 * <p>
 * A listener that throws does not stop the dispatch: the exception is logged and the
 * next outcome is delivered.
 */
public interface HookListener {

	/** A listener that ignores everything. */
	HookListener NONE = new HookListener() {
	};

	/**
	 * An action passed validation and may be applied.
	 * @param accepted the action with its plugin, point and dispatch id
	 */
	default void onAccepted(HookActionAccepted<?> accepted) {
	}

	/**
	 * An action failed validation; it must not be applied.
	 * @param rejected the action with the reason
	 */
	default void onRejected(HookActionRejected rejected) {
	}

	/**
	 * A plugin's hook call failed; its actions, if any, are lost.
	 * @param failed what went wrong
	 */
	default void onFailed(HookCallFailed failed) {
	}

}
