package io.github.grain.plugin.engine.abi;

import org.jspecify.annotations.Nullable;

/**
 * A lifted variant (also enum, option and result, which despecialise to variants).
 * @param caseIndex the discriminant
 * @param payload the payload, {@code null} for a case without one
 */
public record VariantValue(int caseIndex, @Nullable Object payload) {

	/** {@code option::none}. */
	public static VariantValue none() {
		return new VariantValue(0, null);
	}

	/** {@code option::some(value)}. */
	public static VariantValue some(Object value) {
		return new VariantValue(1, value);
	}

	/** {@code result::ok(value)}. */
	public static VariantValue ok(@Nullable Object value) {
		return new VariantValue(0, value);
	}

	/** {@code result::err(value)}. */
	public static VariantValue err(@Nullable Object value) {
		return new VariantValue(1, value);
	}

}
