/**
 * The runtime interface the engine owns (compile, link, instantiate, call, memory,
 * deadline); adapters implement it for a concrete WebAssembly runtime, and keep their
 * compiled code in the {@link io.github.grain.plugin.engine.runtime.CompilationCache} they
 * share.
 */
@NullMarked
package io.github.grain.plugin.engine.runtime;

import org.jspecify.annotations.NullMarked;
