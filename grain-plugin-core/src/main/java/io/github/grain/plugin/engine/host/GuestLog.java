package io.github.grain.plugin.engine.host;

/**
 * Writes guest output to the plugin's logger within the call's log budget. Payloads
 * are the guest's text, never host secrets.
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
		switch (level) {
			case 0 -> context.guestLog().debug(message);
			case 1 -> context.guestLog().info(message);
			case 2 -> context.guestLog().warn(message);
			default -> context.guestLog().error(message);
		}
	}

}
