/**
 * An example of listening to hook outcomes with plain {@code @EventListener} methods.
 */
@NullMarked
package io.github.grain.plugin.sample.hooks;

import org.jspecify.annotations.NullMarked;
