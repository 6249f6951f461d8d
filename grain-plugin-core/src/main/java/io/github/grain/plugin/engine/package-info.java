/**
 * Public API of the Spring-free plugin engine.
 */
@NullMarked
package io.github.grain.plugin.engine;

import org.jspecify.annotations.NullMarked;
