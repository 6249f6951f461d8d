package io.github.grain.plugin.sample.api;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.grain.plugin.spring.event.HookActionAcceptedEvent;
import io.github.grain.plugin.spring.event.HookActionRejectedEvent;
import io.github.grain.plugin.spring.event.HookCallFailedEvent;
import io.github.grain.plugin.spring.event.HookOutcomeEvent;
import io.github.grain.plugin.engine.wit.HostAction;
import io.github.grain.plugin.orchestration.HookActionAccepted;
import io.github.grain.plugin.orchestration.HookActionRejected;
import io.github.grain.plugin.orchestration.HookCallFailed;
import io.github.grain.plugin.orchestration.HookDispatch;
import org.jspecify.annotations.Nullable;

/**
 * The JSON shapes of {@code POST /api/hooks/{point}} and {@code GET /api/hooks/events}.
 */
final class HookOutcomeViews {

	private HookOutcomeViews() {
	}

	/**
	 * A host action as JSON: its kind, then the case's payload by name, for example
	 * {@code {"kind":"switch-role","role":"planner"}}.
	 */
	static Map<String, @Nullable Object> actionFields(HostAction action) {
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("kind", action.kind());
		// every HostAction is a record whose components are the WIT case's payload
		for (RecordComponent component : action.getClass().getRecordComponents()) {
			try {
				fields.put(component.getName(), component.getAccessor().invoke(action));
			}
			catch (IllegalAccessException | InvocationTargetException ex) {
				throw new IllegalStateException("cannot read " + component + " of " + action.kind(), ex);
			}
		}
		return fields;
	}

	/** {@code GUEST_ERROR} as {@code guest-error}, like the other names on the wire. */
	static String wireName(HookCallFailed.Kind kind) {
		return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * The answer of {@code POST /api/hooks/{point}}.
	 * @param dispatchId the id every outcome of the dispatch carries (and its events)
	 * @param point the hook point
	 * @param plugins the subscribed plugins, in the order they were called
	 * @param accepted the actions that passed validation, in order
	 * @param rejected the actions that did not, with the reason
	 * @param failures the hook calls that failed
	 */
	record DispatchView(UUID dispatchId, String point, List<String> plugins, List<AcceptedView> accepted,
			List<RejectedView> rejected, List<FailureView> failures) {

		static DispatchView of(HookDispatch dispatch) {
			return new DispatchView(dispatch.id(), dispatch.point().witName(), dispatch.plugins(),
					dispatch.accepted().stream().map(AcceptedView::of).toList(),
					dispatch.rejected().stream().map(RejectedView::of).toList(),
					dispatch.failures().stream().map(FailureView::of).toList());
		}

	}

	record AcceptedView(String plugin, String point, Map<String, @Nullable Object> action) {

		static AcceptedView of(HookActionAccepted<?> accepted) {
			return new AcceptedView(accepted.plugin(), accepted.point().witName(), actionFields(accepted.action()));
		}

	}

	record RejectedView(String plugin, String point, Map<String, @Nullable Object> action, String reason) {

		static RejectedView of(HookActionRejected rejected) {
			return new RejectedView(rejected.plugin(), rejected.point().witName(), actionFields(rejected.action()),
					rejected.reason());
		}

	}

	record FailureView(String plugin, String point, String kind, String message) {

		static FailureView of(HookCallFailed failed) {
			return new FailureView(failed.plugin(), failed.point().witName(), wireName(failed.kind()), failed.message());
		}

	}

	/**
	 * One entry of {@code GET /api/hooks/events}: an event as the example listener heard it.
	 * @param type {@code accepted}, {@code rejected} or {@code failed}
	 * @param dispatchId the dispatch it belongs to
	 * @param plugin the plugin
	 * @param point the hook point
	 * @param at when it was published
	 * @param action the action (accepted and rejected)
	 * @param reason why it was rejected
	 * @param kind what went wrong (failed)
	 * @param message the failure's message (failed)
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record EventView(String type, UUID dispatchId, String plugin, String point, Instant at,
			@Nullable Map<String, @Nullable Object> action, @Nullable String reason, @Nullable String kind,
			@Nullable String message) {

		static EventView of(HookOutcomeEvent event) {
			String type;
			Map<String, @Nullable Object> action = null;
			String reason = null;
			String kind = null;
			String message = null;
			if (event instanceof HookActionAcceptedEvent<?> accepted) {
				type = "accepted";
				action = actionFields(accepted.getAction());
			}
			else if (event instanceof HookActionRejectedEvent rejected) {
				type = "rejected";
				action = actionFields(rejected.getAction());
				reason = rejected.getReason();
			}
			else {
				HookCallFailedEvent failed = (HookCallFailedEvent) event;
				type = "failed";
				kind = wireName(failed.getKind());
				message = failed.getMessage();
			}
			return new EventView(type, event.getDispatchId(), event.getPlugin(), event.getPoint().witName(),
					Instant.ofEpochMilli(event.getTimestamp()), action, reason, kind, message);
		}

	}

}
