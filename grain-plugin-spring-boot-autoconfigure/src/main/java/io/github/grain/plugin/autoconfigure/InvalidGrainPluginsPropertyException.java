package io.github.grain.plugin.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * A {@code grain.plugins.*} property the application cannot start with: an unknown
 * capability, a malformed allow-list pattern, a sandbox root that cannot be used, an env
 * value whose placeholder does not resolve. Names the property, the value and what to do;
 * the failure analyzer prints it, with where the property was set, as Boot's "APPLICATION
 * FAILED TO START".
 */
public class InvalidGrainPluginsPropertyException extends IllegalStateException {

	private final String property;

	private final @Nullable String value;

	private final String reason;

	private final String action;

	/**
	 * @param property the property's name, for example {@code grain.plugins.sandbox.root}
	 * @param value the offending value (never a secret), {@code null} when the property as a whole is wrong
	 * @param reason what is wrong with it
	 * @param action what to do about it
	 * @param cause what failed, if anything
	 */
	public InvalidGrainPluginsPropertyException(String property, @Nullable String value, String reason, String action,
			@Nullable Throwable cause) {
		super(property + ((value != null) ? " value '" + value + "'" : "") + " " + reason, cause);
		this.property = property;
		this.value = value;
		this.reason = reason;
		this.action = action;
	}

	public String property() {
		return this.property;
	}

	public @Nullable String value() {
		return this.value;
	}

	public String reason() {
		return this.reason;
	}

	public String action() {
		return this.action;
	}

}
