/**
 * The sample's REST API: list and call tools, list plugins.
 */
@NullMarked
package io.github.grain.plugin.sample.api;

import org.jspecify.annotations.NullMarked;
