/**
 * The Chicory adapter: the runtime interface on Chicory (pure Java, wasm compiled to JVM
 * bytecode), with deadlines enforced by interrupting the guest's thread. The only
 * package that imports {@code com.dylibso.chicory}.
 */
@NullMarked
package io.github.grain.plugin.runtime.chicory;

import org.jspecify.annotations.NullMarked;
