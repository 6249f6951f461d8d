package io.github.grain.plugin.engine.wit;

import java.util.List;

/**
 * WIT {@code host-action}: untrusted intent returned by a hook. Case order is the
 * discriminant order (0..8).
 */
public sealed interface HostAction {

	/** The kebab-case WIT case name, for example {@code switch-role}. */
	String kind();

	record SwitchRole(String role) implements HostAction {
		public String kind() {
			return "switch-role";
		}
	}

	record SwitchModel(String model) implements HostAction {
		public String kind() {
			return "switch-model";
		}
	}

	record SetSystemPrompt(String prompt) implements HostAction {
		public String kind() {
			return "set-system-prompt";
		}
	}

	record SetActiveTools(List<String> tools) implements HostAction {
		public SetActiveTools {
			tools = List.copyOf(tools);
		}

		public String kind() {
			return "set-active-tools";
		}
	}

	record InjectUserMessage(String message) implements HostAction {
		public String kind() {
			return "inject-user-message";
		}
	}

	record StopAfterTurn(boolean stop) implements HostAction {
		public String kind() {
			return "stop-after-turn";
		}
	}

	record EmitCustom(String json) implements HostAction {
		public String kind() {
			return "emit-custom";
		}
	}

	record SetUiHeader(UiHeader header) implements HostAction {
		public String kind() {
			return "set-ui-header";
		}
	}

	record SetUiStatus(String status) implements HostAction {
		public String kind() {
			return "set-ui-status";
		}
	}

}
