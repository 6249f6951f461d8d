package io.github.grain.plugin.egress;

/**
 * Guest-controlled text (hosts, names) made safe for a log line or a message: control
 * characters and non-ASCII characters are written as {@code \\uXXXX} escapes, so no host
 * can forge or split log lines.
 */
final class EgressLog {

	private EgressLog() {
	}

	static String escape(String text) {
		StringBuilder escaped = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			boolean plain = c >= 0x20 && c < 0x7f && c != '\\';
			if (!plain && escaped == null) {
				escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
			}
			if (escaped != null) {
				if (plain) {
					escaped.append(c);
				}
				else {
					escaped.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
				}
			}
		}
		return (escaped != null) ? escaped.toString() : text;
	}

}
