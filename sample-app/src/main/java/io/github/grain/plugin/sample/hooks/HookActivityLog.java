package io.github.grain.plugin.sample.hooks;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import io.github.grain.plugin.spring.event.HookActionAcceptedEvent;
import io.github.grain.plugin.spring.event.HookOutcomeEvent;
import io.github.grain.plugin.engine.wit.HostAction;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Listens to what the plugins' hooks decide. A real agent would switch its role here; the
 * sample logs role switches and keeps the latest outcomes for {@code GET /api/hooks/events}.
 */
@Component
public class HookActivityLog {

	private static final Log logger = LogFactory.getLog(HookActivityLog.class);

	/** How many outcomes are kept. */
	static final int CAPACITY = 50;

	private final Deque<HookOutcomeEvent> recent = new ArrayDeque<>(CAPACITY);

	/** Only accepted {@code switch-role} actions reach this method. */
	@EventListener
	void onRoleSwitch(HookActionAcceptedEvent<HostAction.SwitchRole> event) {
		logger.info("Plugin '" + event.getPlugin() + "' switches to role '" + event.getAction().role() + "' at '"
				+ event.getPoint().witName() + "' (dispatch " + event.getDispatchId() + ")");
	}

	/** Every outcome: accepted and rejected actions, failed hook calls. */
	@EventListener
	synchronized void onOutcome(HookOutcomeEvent event) {
		if (this.recent.size() == CAPACITY) {
			this.recent.removeFirst();
		}
		this.recent.addLast(event);
	}

	/** The latest outcomes, oldest first. */
	public synchronized List<HookOutcomeEvent> recent() {
		return List.copyOf(this.recent);
	}

}
