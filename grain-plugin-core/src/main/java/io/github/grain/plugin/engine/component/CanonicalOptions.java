package io.github.grain.plugin.engine.component;

import org.jspecify.annotations.Nullable;

/**
 * The canonical options of a {@code canon lift}, with every core index resolved to the
 * name under which the main core module exports it.
 * @param stringEncoding the string encoding ({@code utf8} when the option is absent)
 * @param memoryExport main's export name of the memory, or {@code null} when the
 * function passes nothing through memory
 * @param reallocExport main's export name of {@code realloc}, or {@code null} when the
 * function has no parameters that need guest allocation
 * @param postReturnExport main's export name of the post-return function, or
 * {@code null}
 * @param async whether the lift is {@code async} (not supported by the grain host)
 * @param callbackExport main's export name of the async callback, or {@code null}
 */
public record CanonicalOptions(StringEncoding stringEncoding, @Nullable String memoryExport,
		@Nullable String reallocExport, @Nullable String postReturnExport, boolean async,
		@Nullable String callbackExport) {

}
