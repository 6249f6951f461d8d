package io.github.grain.plugin.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.grain.plugin.engine.CallPermits;
import org.jspecify.annotations.Nullable;

/**
 * A tool for the registry's tests: any name and source, arguments of any shape, a body
 * given as a lambda, optionally its own deadline (as a WebAssembly tool has) and its own
 * call permits (as a plugin has).
 */
final class RegistryTestTool implements Tool {

	/** What the tool does when called. */
	@FunctionalInterface
	interface Body {

		ToolResult call(JsonNode arguments) throws Exception;

	}

	private final ToolDefinition definition;

	private final Body body;

	private final boolean ownDeadline;

	private final @Nullable CallPermits permits;

	private RegistryTestTool(ToolDefinition definition, Body body, boolean ownDeadline, @Nullable CallPermits permits) {
		this.definition = definition;
		this.body = body;
		this.ownDeadline = ownDeadline;
		this.permits = permits;
	}

	/** A read-only tool of source {@code test:<name>}. */
	static RegistryTestTool of(String name, Body body) {
		return from("test:" + name, name, body);
	}

	/** A read-only tool of source {@code test:<name>} that answers with the name of the thread it runs on. */
	static RegistryTestTool threadName(String name) {
		return of(name, (arguments) -> ToolResult.success(TextNode.valueOf(Thread.currentThread().getName())));
	}

	/** A read-only tool of the given source. */
	static RegistryTestTool from(String source, String name, Body body) {
		return new RegistryTestTool(new ToolDefinition(name, name, "a test tool",
				ToolJson.newMapper().createObjectNode().put("type", "object"), source, null, true), body, false, null);
	}

	/** The same tool, bounding its own time: the registry puts no deadline on it. */
	RegistryTestTool withOwnDeadline() {
		return new RegistryTestTool(this.definition, this.body, true, this.permits);
	}

	/** The same tool, with its own permits. */
	RegistryTestTool withPermits(CallPermits permits) {
		return new RegistryTestTool(this.definition, this.body, this.ownDeadline, permits);
	}

	@Override
	public ToolDefinition definition() {
		return this.definition;
	}

	@Override
	public ToolResult call(JsonNode arguments, ToolContext context) {
		try {
			return this.body.call(arguments);
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public boolean hasOwnDeadline() {
		return this.ownDeadline;
	}

	@Override
	public CallPermits permits() {
		return (this.permits != null) ? this.permits : Tool.super.permits();
	}

}
