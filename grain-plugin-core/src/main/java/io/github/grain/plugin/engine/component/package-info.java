/**
 * Reads Component Model binaries without running them: tells a component from a core
 * module by its header, walks the component's sections and index spaces, and follows
 * each {@code canon lift} back to the embedded core module that implements it ("main")
 * and to main's export names for memory, {@code realloc} and post-return. Pure Java,
 * hostile input ends in an error carrying the byte offset.
 */
@NullMarked
package io.github.grain.plugin.engine.component;

import org.jspecify.annotations.NullMarked;
