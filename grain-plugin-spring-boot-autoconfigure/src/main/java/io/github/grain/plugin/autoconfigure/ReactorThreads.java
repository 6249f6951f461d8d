package io.github.grain.plugin.autoconfigure;

import reactor.core.scheduler.Schedulers;

/**
 * Kept apart so Reactor classes load only when Reactor is on the class path.
 */
final class ReactorThreads {

	private ReactorThreads() {
	}

	/** Whether the current thread may block (it is not a Reactor non-blocking thread). */
	static boolean mayBlock() {
		return !Schedulers.isInNonBlockingThread();
	}

}
