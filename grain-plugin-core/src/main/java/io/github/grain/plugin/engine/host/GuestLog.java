package io.github.grain.plugin.engine.host;

import io.github.grain.plugin.engine.UntrustedText;

/**
 * Writes guest output to the plugin's logger within the call's log budget. Payloads
 * are the guest's text, never host secrets, escaped ({@link UntrustedText#forLog}) so
 * that a guest cannot end its line and forge another.
 */
final class GuestLog {

	private GuestLog() {
	}

	/** @param level 0 debug, 1 info, 2 warn, 3 error */
	static void write(PluginHostContext context, int level, String message) {
		int admitted = GuestCallState.current().admitLog(message.length());
		if (admitted == 0) {
			return;
		}
		if (admitted < 0) {
			context.guestLog().warn("plugin '" + context.plugin() + "' exceeded its log budget of "
					+ context.maxLogBytesPerCall() + " bytes for this call; further output is dropped");
			return;
		}
		String line = UntrustedText.forLog(message);
		switch (level) {
			case 0 -> context.guestLog().debug(line);
			case 1 -> context.guestLog().info(line);
			case 2 -> context.guestLog().warn(line);
			default -> context.guestLog().error(line);
		}
	}

}
