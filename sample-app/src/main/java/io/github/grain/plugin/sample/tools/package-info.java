/**
 * The sample's Java tools: a read-only clock, a notebook in the sandbox (mutating, so it
 * goes through approval), and a raw-JSON text statistics handler.
 */
@NullMarked
package io.github.grain.plugin.sample.tools;

import org.jspecify.annotations.NullMarked;
