package io.github.grain.plugin.orchestration;

import java.util.UUID;

import io.github.grain.plugin.engine.wit.HookPoint;

/**
 * What happened to one plugin's hook call in one dispatch: an action accepted, an action
 * rejected, or the call failed. Every outcome names the plugin, the hook point and the
 * dispatch it belongs to, so each one can travel on its own (as an application event, a
 * log line, a JSON response item).
 */
public sealed interface HookOutcome permits HookActionAccepted, HookActionRejected, HookCallFailed {

	/** The dispatch this outcome belongs to. */
	UUID dispatchId();

	/** The plugin's name. */
	String plugin();

	/** The hook point that was called. */
	HookPoint point();

}
