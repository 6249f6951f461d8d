/**
 * Spring-free v2 orchestration: the {@link io.github.grain.plugin.orchestration.HookDispatcher}
 * calls every plugin subscribed to a hook point, the
 * {@link io.github.grain.plugin.orchestration.HostActionValidator} treats each returned
 * host action as untrusted intent, and a {@link io.github.grain.plugin.orchestration.HookListener}
 * hears one {@link io.github.grain.plugin.orchestration.HookOutcome} per accepted action,
 * rejected action and failed call.
 * <pre>
 * dispatch(point, context) ─▶ for each subscribed plugin, in discovery order:
 *     callHook (fresh instance) ─▶ err / trap / deadline ─▶ HookCallFailed
 *                               └▶ actions ─▶ validate each ─▶ HookActionAccepted | HookActionRejected
 * </pre>
 */
@NullMarked
package io.github.grain.plugin.orchestration;

import org.jspecify.annotations.NullMarked;
