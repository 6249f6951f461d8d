/**
 * The Spring-free tool model: every tool an agent can call, whether a WebAssembly plugin
 * export or an annotated Java method, as a {@link io.github.grain.plugin.tool.Tool} with a
 * {@link io.github.grain.plugin.tool.ToolDefinition}, collected in one
 * {@link io.github.grain.plugin.tool.ToolRegistry} that validates arguments, asks for
 * approval of mutating calls and runs them off the caller's event loop.
 */
@NullMarked
package io.github.grain.plugin.tool;

import org.jspecify.annotations.NullMarked;
