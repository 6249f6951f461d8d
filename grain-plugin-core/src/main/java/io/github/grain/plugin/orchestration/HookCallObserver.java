package io.github.grain.plugin.orchestration;

import java.util.List;

import io.github.grain.plugin.engine.wit.HookPoint;

/**
 * Watches each plugin's hook call in every {@link HookDispatcher#dispatch dispatch}: the
 * port through which metrics and traces see hooks without the core knowing them.
 * {@link #start} and {@link Call#stop} run on the dispatching thread, around the plugin's
 * call and the validation of what it returned.
 */
@FunctionalInterface
public interface HookCallObserver {

	/** An observer that does nothing. */
	HookCallObserver NONE = (point, plugin) -> Call.NONE;

	/**
	 * A plugin's hook is about to be called.
	 * @param point the hook point
	 * @param plugin the plugin's name
	 * @return the handle of this call
	 */
	Call start(HookPoint point, String plugin);

	/**
	 * One observed hook call.
	 */
	@FunctionalInterface
	interface Call {

		/** A handle that ignores everything. */
		Call NONE = (outcomes) -> {
		};

		/**
		 * The call ended and what it returned was judged.
		 * @param outcomes this plugin's outcomes in this dispatch: its accepted and rejected
		 * actions, or the one {@link HookCallFailed}
		 */
		void stop(List<HookOutcome> outcomes);

	}

}
