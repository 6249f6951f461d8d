/**
 * Micrometer meters beyond the call observations: per-plugin load time and memory
 * high-water, plugins by status, egress refusals by reason, hook actions accepted and
 * rejected.
 */
@NullMarked
package io.github.grain.plugin.spring.metrics;

import org.jspecify.annotations.NullMarked;
