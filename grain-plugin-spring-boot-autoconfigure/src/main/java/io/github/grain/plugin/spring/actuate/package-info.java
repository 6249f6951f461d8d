/**
 * Actuator views of the hosted plugins: the {@code grainplugins} endpoint (every plugin,
 * or one, with what it reports; reload, unload and rescan when its access allows) and the
 * {@code grainPlugins} health contributor.
 */
@NullMarked
package io.github.grain.plugin.spring.actuate;

import org.jspecify.annotations.NullMarked;
