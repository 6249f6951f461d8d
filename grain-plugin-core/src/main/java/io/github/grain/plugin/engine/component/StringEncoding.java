package io.github.grain.plugin.engine.component;

/**
 * The {@code string-encoding} canonical option. Only {@link #UTF8} is supported by the
 * grain host; the others are recognised so the refusal can name them.
 */
public enum StringEncoding {

	UTF8("utf8"), UTF16("utf16"), LATIN1_UTF16("latin1+utf16");

	private final String label;

	StringEncoding(String label) {
		this.label = label;
	}

	/** The option as the text format writes it, e.g. {@code latin1+utf16}. */
	public String label() {
		return this.label;
	}

	@Override
	public String toString() {
		return this.label;
	}

}
