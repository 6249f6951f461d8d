/**
 * Spring AI adapters: registry tools as Spring AI {@code ToolCallback}s (live), and
 * Spring AI callbacks imported into the registry, never back and forth.
 */
@NullMarked
package io.github.grain.plugin.spring.ai;

import org.jspecify.annotations.NullMarked;
