/**
 * The Component Model's Canonical ABI over a core module's linear memory: WIT types with
 * their layouts, {@code load}/{@code store}/{@code lift_flat}/{@code lower_flat}, and
 * {@link io.github.grain.plugin.engine.abi.GuestMemory}, the single bounds-checked view
 * of guest memory. Pure Java: testable on byte arrays without an engine.
 */
@NullMarked
package io.github.grain.plugin.engine.abi;

import org.jspecify.annotations.NullMarked;
