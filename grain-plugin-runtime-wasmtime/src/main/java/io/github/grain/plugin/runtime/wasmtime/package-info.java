/**
 * The wasmtime-java adapter: the only package that imports {@code io.github.kawamuray.wasmtime}.
 */
@NullMarked
package io.github.grain.plugin.runtime.wasmtime;

import org.jspecify.annotations.NullMarked;
