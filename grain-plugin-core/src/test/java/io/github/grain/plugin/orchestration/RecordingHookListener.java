package io.github.grain.plugin.orchestration;

import java.util.ArrayList;
import java.util.List;

/**
 * Records every callback in the order it arrived, each tagged with the callback's name.
 */
final class RecordingHookListener implements HookListener {

	final List<HookOutcome> outcomes = new ArrayList<>();

	final List<String> callbacks = new ArrayList<>();

	@Override
	public void onAccepted(HookActionAccepted<?> accepted) {
		this.outcomes.add(accepted);
		this.callbacks.add("accepted " + accepted.plugin() + " " + accepted.action().kind());
	}

	@Override
	public void onRejected(HookActionRejected rejected) {
		this.outcomes.add(rejected);
		this.callbacks.add("rejected " + rejected.plugin() + " " + rejected.action().kind());
	}

	@Override
	public void onFailed(HookCallFailed failed) {
		this.outcomes.add(failed);
		this.callbacks.add("failed " + failed.plugin() + " " + failed.kind());
	}

}
