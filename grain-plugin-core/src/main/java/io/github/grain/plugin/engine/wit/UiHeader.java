package io.github.grain.plugin.engine.wit;

import org.jspecify.annotations.Nullable;

/**
 * WIT {@code ui-header}; each field is an {@code option<string>}, {@code null} when none.
 * @param provider provider to show
 * @param model model to show
 */
public record UiHeader(@Nullable String provider, @Nullable String model) {
}
