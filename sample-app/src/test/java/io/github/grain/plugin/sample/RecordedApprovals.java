package io.github.grain.plugin.sample;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.grain.plugin.spring.event.ToolApprovalRequestedEvent;

import org.springframework.context.ApplicationListener;

/** Every approval the sample's handler was asked for, as its events tell. */
class RecordedApprovals implements ApplicationListener<ToolApprovalRequestedEvent> {

	final List<ToolApprovalRequestedEvent> events = new CopyOnWriteArrayList<>();

	@Override
	public void onApplicationEvent(ToolApprovalRequestedEvent event) {
		this.events.add(event);
	}

	/** The events of calls to one tool. */
	List<ToolApprovalRequestedEvent> of(String tool) {
		return this.events.stream().filter((event) -> event.getRequest().tool().name().equals(tool)).toList();
	}

	/** The events of calls to one tool whose {@code name} argument is {@code name}. */
	List<ToolApprovalRequestedEvent> of(String tool, String name) {
		return of(tool).stream()
			.filter((event) -> event.getRequest().arguments().path("name").asText().equals(name))
			.toList();
	}

}
