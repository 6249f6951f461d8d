package io.github.grain.plugin.sample.api;

import java.time.Instant;
import java.util.Locale;

import io.github.grain.plugin.engine.discovery.PluginCatalogEvent;
import io.github.grain.plugin.engine.discovery.PluginReport;
import io.github.grain.plugin.sample.api.ApprovalViews.DecisionView;
import io.github.grain.plugin.sample.api.ApprovalViews.PendingView;
import io.github.grain.plugin.sample.api.HookOutcomeViews.EventView;
import io.github.grain.plugin.sample.approval.ApprovalPendingEvent;
import io.github.grain.plugin.spring.event.HookOutcomeEvent;
import io.github.grain.plugin.spring.event.ToolApprovalRequestedEvent;
import io.github.grain.plugin.spring.event.ToolCallEndedEvent;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;

/**
 * Turns the application events the starter publishes (hook outcomes, tool calls, approval
 * decisions, plugin catalog changes) and the sample's pending approvals into server-sent
 * events for every open {@code GET /api/events}. A client that cannot keep up misses
 * events rather than making the application buffer them.
 */
@Component
class LiveEvents implements DisposableBean {

	private final Sinks.Many<ServerSentEvent<Object>> sink = Sinks.many().multicast().directBestEffort();

	/** Every open stream, from now on. */
	Flux<ServerSentEvent<Object>> flux() {
		return this.sink.asFlux();
	}

	@EventListener
	void onHookOutcome(HookOutcomeEvent event) {
		emit("hook", EventView.of(event));
	}

	@EventListener
	void onToolCall(ToolCallEndedEvent event) {
		emit("tool-call", ToolCallView.of(event));
	}

	@EventListener
	void onApprovalPending(ApprovalPendingEvent event) {
		emit("approval-pending", PendingView.of(event.request()));
	}

	@EventListener
	void onApprovalDecided(ToolApprovalRequestedEvent event) {
		emit("approval-decided", DecisionView.of(event.getRequest(), event.getDecision()));
	}

	@EventListener
	void onPluginChange(PluginCatalogEvent event) {
		emit("plugin", PluginChangeView.of(event));
	}

	/** Events come from many threads; a sink takes one emission at a time. */
	private synchronized void emit(String name, Object data) {
		this.sink.tryEmitNext(ServerSentEvent.builder(data).event(name).build());
	}

	@Override
	public synchronized void destroy() {
		this.sink.tryEmitComplete();
	}

	/**
	 * A {@code tool-call} event.
	 * @param tool the tool's name
	 * @param source {@code wasm:<plugin>} or {@code bean:<bean>}
	 * @param outcome how it ended: {@code success}, {@code error}, {@code invalid-arguments}, {@code denied}, …
	 * @param failure what was thrown, when the outcome comes from an exception
	 * @param durationMillis how long the call took, refusals and waiting for approval included
	 * @param at when it ended
	 */
	record ToolCallView(String tool, String source, String outcome, @Nullable String failure, double durationMillis,
			Instant at) {

		static ToolCallView of(ToolCallEndedEvent event) {
			return new ToolCallView(event.getTool().name(), event.getTool().source(), event.getOutcome().tagValue(),
					event.getFailure(), event.getDuration().toNanos() / 1e6, Instant.ofEpochMilli(event.getTimestamp()));
		}

	}

	/**
	 * A {@code plugin} event: the catalog changed.
	 * @param change {@code loaded}, {@code replaced}, {@code unloaded} or {@code failed}
	 * @param name the plugin's name
	 * @param version the version serving (or that failed)
	 * @param error why it failed
	 */
	record PluginChangeView(String change, String name, @Nullable String version, @Nullable String error) {

		static PluginChangeView of(PluginCatalogEvent event) {
			PluginReport report;
			if (event instanceof PluginCatalogEvent.Loaded loaded) {
				report = loaded.report();
			}
			else if (event instanceof PluginCatalogEvent.Replaced replaced) {
				report = replaced.current();
			}
			else if (event instanceof PluginCatalogEvent.Unloaded unloaded) {
				report = unloaded.previous();
			}
			else {
				report = ((PluginCatalogEvent.Failed) event).failed();
			}
			return new PluginChangeView(event.getClass().getSimpleName().toLowerCase(Locale.ROOT), event.name(),
					report.version(), report.error());
		}

	}

}
