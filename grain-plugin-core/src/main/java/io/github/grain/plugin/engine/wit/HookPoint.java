package io.github.grain.plugin.engine.wit;

import java.util.Locale;

/**
 * WIT {@code hook-point}; ordinal order is the discriminant order.
 */
public enum HookPoint {

	BEFORE_AGENT_START, AFTER_TOOL_CALL, PREPARE_NEXT_TURN, SHOULD_STOP_AFTER_TURN;

	/** The kebab-case WIT name, for example {@code before-agent-start}. */
	public String witName() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * Resolve a kebab-case WIT name.
	 * @param witName for example {@code after-tool-call}
	 * @return the point
	 * @throws IllegalArgumentException naming the unknown point
	 */
	public static HookPoint fromWitName(String witName) {
		for (HookPoint point : values()) {
			if (point.witName().equals(witName)) {
				return point;
			}
		}
		throw new IllegalArgumentException("unknown hook point '" + witName + "'");
	}

}
