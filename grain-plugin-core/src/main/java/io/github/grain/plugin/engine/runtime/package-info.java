/**
 * The runtime interface the engine owns (compile, link, instantiate, call, memory,
 * deadline); adapters implement it for a concrete WebAssembly runtime.
 */
@NullMarked
package io.github.grain.plugin.engine.runtime;

import org.jspecify.annotations.NullMarked;
