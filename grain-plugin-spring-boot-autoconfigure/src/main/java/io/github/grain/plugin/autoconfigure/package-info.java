/**
 * Spring Boot glue: {@code grain.plugins.*} properties, the auto-configuration that
 * builds the {@link io.github.grain.plugin.tool.ToolRegistry}, registers each WebAssembly
 * tool and every {@code @GrainTool} bean in it, publishes approval requests as
 * application events, and provides the v2 {@link io.github.grain.plugin.orchestration.HookDispatcher}
 * whose outcomes {@code autoconfigure.orchestration} publishes as events.
 */
@NullMarked
package io.github.grain.plugin.autoconfigure;

import org.jspecify.annotations.NullMarked;
