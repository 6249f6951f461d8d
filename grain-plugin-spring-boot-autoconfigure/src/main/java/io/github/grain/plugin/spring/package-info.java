/**
 * Public Spring-facing types of the starter that are not auto-configuration: customizers
 * ({@code spring}), the WebClient egress gateway ({@code spring.http}) and the application
 * events hooks and approvals publish ({@code spring.event}).
 */
@NullMarked
package io.github.grain.plugin.spring;

import org.jspecify.annotations.NullMarked;
