/**
 * A WebFlux application hosting the bundled grain plugins and a few {@code @GrainTool}
 * beans behind {@code /api/tools} and {@code /api/plugins}.
 */
@NullMarked
package io.github.grain.plugin.sample;

import org.jspecify.annotations.NullMarked;
