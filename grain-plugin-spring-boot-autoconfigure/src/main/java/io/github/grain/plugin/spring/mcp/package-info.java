/**
 * MCP adapters: registry tools as MCP tool specifications, kept in step with the registry
 * on the MCP server of Spring AI's MCP server starter.
 */
@NullMarked
package io.github.grain.plugin.spring.mcp;

import org.jspecify.annotations.NullMarked;
