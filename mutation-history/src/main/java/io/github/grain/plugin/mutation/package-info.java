/**
 * Build tooling for the profile {@code mutation}: a PIT history plugin that keeps each
 * mutant's result under a fingerprint of its class and of the test classes covering it,
 * so a run reuses what cannot have changed and analyses only the rest.
 */
@NullMarked
package io.github.grain.plugin.mutation;

import org.jspecify.annotations.NullMarked;
