/**
 * Reads what the engine needs of a core WebAssembly module (imports, exports with their
 * signatures, memories) with bounds-checked decoding that reports byte offsets.
 */
@NullMarked
package io.github.grain.plugin.engine.module;

import org.jspecify.annotations.NullMarked;
