/**
 * The sample's REST API: list and call tools, list plugins, dispatch hook points.
 */
@NullMarked
package io.github.grain.plugin.sample.api;

import org.jspecify.annotations.NullMarked;
