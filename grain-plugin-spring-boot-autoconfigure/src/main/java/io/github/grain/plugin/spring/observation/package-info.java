/**
 * Micrometer observations of tool calls ({@code grain.tool.call}) and hook calls
 * ({@code grain.hook.dispatch}): the core's observer ports implemented with
 * {@link io.micrometer.observation.Observation}, so one instrumentation gives timers (and
 * Prometheus series) and trace spans nested under the caller's observation. Names and
 * tags come from replaceable conventions.
 */
@NullMarked
package io.github.grain.plugin.spring.observation;

import org.jspecify.annotations.NullMarked;
