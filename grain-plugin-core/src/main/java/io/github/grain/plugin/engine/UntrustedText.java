package io.github.grain.plugin.engine;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Text a plugin controls (its log output, manifest strings, tool names, error strings it
 * returns) on its way into the host's logs, names and encoders. The one place that
 * decides which characters are unsafe there.
 */
public final class UntrustedText {

	private UntrustedText() {
	}

	/**
	 * The text as it may be written to a log: every character that could end a log line,
	 * start a forged one or change how the line displays (C0 and C1 controls, DEL, the
	 * Unicode line and paragraph separators, bidirectional formatting characters) is
	 * written as an escape ({@code \n}, {@code \r}, {@code \t}, else {@code \}{@code uXXXX}).
	 * Everything else, backslashes included, is kept.
	 * @param text the text, {@code null} written as {@code null}
	 * @return the text, escaped where needed
	 */
	public static String forLog(@Nullable Object text) {
		String value = String.valueOf(text);
		int first = firstUnsafe(value);
		if (first < 0) {
			return value;
		}
		StringBuilder escaped = new StringBuilder(value.length() + 16).append(value, 0, first);
		for (int i = first; i < value.length(); i++) {
			char c = value.charAt(i);
			if (!isUnsafe(c)) {
				escaped.append(c);
				continue;
			}
			switch (c) {
				case '\n' -> escaped.append("\\n");
				case '\r' -> escaped.append("\\r");
				case '\t' -> escaped.append("\\t");
				default -> escaped.append(String.format("\\u%04x", (int) c));
			}
		}
		return escaped.toString();
	}

	/**
	 * The first character of the text that {@link #forLog} would escape.
	 * @param text the text
	 * @return its index, or -1 when the text has none
	 */
	public static int firstUnsafe(String text) {
		for (int i = 0; i < text.length(); i++) {
			if (isUnsafe(text.charAt(i))) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * Describe the first character {@link #forLog} would escape, for an error message.
	 * @param text the text
	 * @return for example {@code "a control character (\n) at index 3"}, or {@code null}
	 * when the text has none
	 */
	public static @Nullable String describeUnsafe(String text) {
		int index = firstUnsafe(text);
		if (index < 0) {
			return null;
		}
		return "a control character (" + forLog(String.valueOf(text.charAt(index))) + ") at index " + index;
	}

	private static boolean isUnsafe(char c) {
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
			return true;
		}
		return c == '\u2028' || c == '\u2029' || c == '\u061c' || c == '\u200e' || c == '\u200f'
				|| (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
	}

	/**
	 * Decode UTF-8 that a plugin handed over, refusing malformed input rather than
	 * replacing it.
	 * @param bytes the bytes
	 * @return the text
	 * @throws CharacterCodingException if the bytes are not valid UTF-8
	 */
	public static String decodeUtf8(byte[] bytes) throws CharacterCodingException {
		if (isWellFormedUtf8(bytes)) {
			// the common case, without the decoder's buffers
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT)
			.decode(ByteBuffer.wrap(bytes))
			.toString();
	}

	/**
	 * Whether the bytes are well-formed UTF-8 (Unicode's table 3-7: no overlong forms, no
	 * surrogates, nothing above U+10FFFF, no truncated sequence).
	 */
	static boolean isWellFormedUtf8(byte[] bytes) {
		int at = 0;
		int length = bytes.length;
		while (at < length) {
			int lead = bytes[at] & 0xFF;
			if (lead < 0x80) {
				at++;
				continue;
			}
			int size;
			int low = 0x80;
			int high = 0xBF;
			if (lead >= 0xC2 && lead <= 0xDF) {
				size = 2;
			}
			else if (lead >= 0xE0 && lead <= 0xEF) {
				size = 3;
				low = (lead == 0xE0) ? 0xA0 : 0x80;
				high = (lead == 0xED) ? 0x9F : 0xBF;
			}
			else if (lead >= 0xF0 && lead <= 0xF4) {
				size = 4;
				low = (lead == 0xF0) ? 0x90 : 0x80;
				high = (lead == 0xF4) ? 0x8F : 0xBF;
			}
			else {
				return false;
			}
			if (at + size > length) {
				return false;
			}
			int second = bytes[at + 1] & 0xFF;
			if (second < low || second > high) {
				return false;
			}
			for (int i = 2; i < size; i++) {
				if ((bytes[at + i] & 0xC0) != 0x80) {
					return false;
				}
			}
			at += size;
		}
		return true;
	}

	/**
	 * The text with every unpaired surrogate replaced by U+FFFD. A WIT string and UTF-8
	 * hold Unicode scalar values only, while a Java string (for example one parsed from
	 * JSON {@code "\\ud800"}) can hold half a pair; other hosts (jco) substitute U+FFFD too.
	 * @param text the text
	 * @return the text itself when it has no unpaired surrogate
	 */
	public static String wellFormed(String text) {
		int first = firstLoneSurrogate(text, 0);
		if (first < 0) {
			return text;
		}
		StringBuilder result = new StringBuilder(text.length()).append(text, 0, first);
		for (int at = first; at >= 0;) {
			result.append('\uFFFD');
			int next = firstLoneSurrogate(text, at + 1);
			result.append(text, at + 1, (next >= 0) ? next : text.length());
			at = next;
		}
		return result.toString();
	}

	private static int firstLoneSurrogate(String text, int from) {
		for (int i = from; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return i;
			}
		}
		return -1;
	}

}
