/**
 * The grain worlds as data, and the typed values exchanged with plugins
 * (tool definitions, results, roles, hooks, host actions).
 */
@NullMarked
package io.github.grain.plugin.engine.wit;

import org.jspecify.annotations.NullMarked;
