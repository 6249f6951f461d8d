/**
 * Spring side of v2 orchestration: every outcome of a
 * {@link io.github.grain.plugin.orchestration.HookDispatcher hook dispatch} becomes an
 * application event ({@link io.github.grain.plugin.spring.event.HookActionAcceptedEvent},
 * {@link io.github.grain.plugin.spring.event.HookActionRejectedEvent},
 * {@link io.github.grain.plugin.spring.event.HookCallFailedEvent}) that a
 * plain {@code @EventListener} can select by type, accepted actions by action kind.
 * Beside them: every tool call's end
 * ({@link io.github.grain.plugin.spring.event.ToolCallEndedEvent}) and every approval
 * decision ({@link io.github.grain.plugin.spring.event.ToolApprovalRequestedEvent}).
 */
@NullMarked
package io.github.grain.plugin.spring.event;

import org.jspecify.annotations.NullMarked;
