/**
 * Who may use the sample application: HTTP Basic for everything but the health endpoint.
 */
@NullMarked
package io.github.grain.plugin.sample.security;

import org.jspecify.annotations.NullMarked;
