/**
 * The wasmtime-java adapter: the only package that imports {@code io.github.kawamuray.wasmtime}.
 */
@NullMarked
package io.github.grain.plugin.engine.wasmtime;

import org.jspecify.annotations.NullMarked;
