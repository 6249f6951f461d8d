/**
 * Spring Boot glue: {@code grain.plugins.*} properties, the auto-configuration that
 * builds the {@link io.github.grain.plugin.tool.ToolRegistry}, registers each WebAssembly
 * tool and every {@code @GrainTool} bean in it, and publishes approval requests as
 * application events.
 */
@NullMarked
package io.github.grain.plugin.autoconfigure;

import org.jspecify.annotations.NullMarked;
