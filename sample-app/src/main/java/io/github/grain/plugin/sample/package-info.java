/**
 * A WebFlux application hosting the bundled grain plugins and a few {@code @GrainTool}
 * beans behind {@code /api/tools}, {@code /api/plugins} and {@code /api/hooks}.
 */
@NullMarked
package io.github.grain.plugin.sample;

import org.jspecify.annotations.NullMarked;
