package io.github.grain.plugin.tool;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The one view of every tool an agent can call: WebAssembly plugin tools, annotated bean
 * methods and {@link JsonToolHandler}s. Tool names are unique.
 * <p>
 * A call validates the arguments against the tool's schema first (a violation, or
 * arguments larger than the registry's limit, is an error result the model can read), asks the {@link ToolApprovalHandler} when the tool
 * is not read-only, then runs the tool, never on an event loop: a bounded number of calls
 * run at once. Failures of the tool itself are error results; only an unknown name is an
 * exception.
 * <p>
 * The set of tools may change while the application runs: {@link #version()} counts the
 * changes and {@link #addListener(ToolRegistryListener)} reports each one, so adapters
 * that publish the tools elsewhere (Spring AI, MCP) stay current.
 */
public interface ToolRegistry {

	/** Every tool's definition, ordered by name. */
	List<ToolDefinition> definitions();

	/**
	 * Look a tool up.
	 * @param name the tool name
	 * @return its definition, empty if unknown
	 */
	Optional<ToolDefinition> definition(String name);

	/**
	 * Look a tool up.
	 * @param name the tool name
	 * @return the tool, empty if unknown
	 */
	Optional<Tool> tool(String name);

	/** Whether a tool of that name is registered. */
	default boolean contains(String name) {
		return definition(name).isPresent();
	}

	/**
	 * Add a tool.
	 * @param tool the tool
	 * @throws DuplicateToolException naming both sources if the name is taken
	 * @throws InvalidToolException if the tool's schema cannot be compiled
	 */
	void register(Tool tool);

	/**
	 * Add tools together: all of them, or none when one cannot be added.
	 * @param tools the tools, for example every tool of one plugin
	 * @throws DuplicateToolException naming both sources if a name is taken (or given twice)
	 * @throws InvalidToolException if a tool's schema cannot be compiled
	 */
	default void registerAll(Collection<? extends Tool> tools) {
		List<String> added = new ArrayList<>();
		try {
			for (Tool tool : tools) {
				register(tool);
				added.add(tool.definition().name());
			}
		}
		catch (RuntimeException ex) {
			added.forEach(this::unregister);
			throw ex;
		}
	}

	/**
	 * Remove a tool. Calls already running finish.
	 * @param name the tool name
	 * @return the removed tool, empty if unknown
	 */
	Optional<Tool> unregister(String name);

	/**
	 * Make {@code tools} the tools of {@code source} (for example {@code wasm:weather} after a
	 * reload): each name resolves to the old tool or the new one, never to nothing, while the
	 * change is made; the source's tools not in {@code tools} are removed.
	 * @param source the source whose tools are replaced
	 * @param tools its tools from now on, each of that source
	 * @throws DuplicateToolException when a name belongs to another source; nothing is changed
	 */
	default void replace(String source, java.util.Collection<? extends Tool> tools) {
		for (Tool tool : tools) {
			definition(tool.definition().name()).filter((existing) -> !existing.source().equals(source))
				.ifPresent((existing) -> {
					throw new DuplicateToolException(tool.definition().name(), existing.source(),
							tool.definition().source());
				});
		}
		java.util.Set<String> names = new java.util.HashSet<>();
		for (Tool tool : tools) {
			names.add(tool.definition().name());
			unregister(tool.definition().name());
			register(tool);
		}
		for (ToolDefinition definition : definitions()) {
			if (definition.source().equals(source) && !names.contains(definition.name())) {
				unregister(definition.name());
			}
		}
	}

	/**
	 * How many times tools were added or removed since the registry was created: equal
	 * versions mean the same set of tools.
	 */
	long version();

	/**
	 * Be told of every later change (see {@link ToolRegistryListener}).
	 * @param listener the listener
	 * @return closing it stops the notifications
	 */
	ListenerRegistration addListener(ToolRegistryListener listener);

	/**
	 * Call a tool and wait for the result, without call attributes.
	 * @see #call(String, JsonNode, Map)
	 */
	default ToolResult call(String name, JsonNode arguments) {
		return call(name, arguments, Map.of());
	}

	/**
	 * Call a tool and wait for the result. The registry may run it on the calling thread
	 * (interrupting that thread then cancels the call). Must not be used on a thread that
	 * may not block (a Reactor event loop); use {@link #callAsync(String, JsonNode)} there.
	 * @param name the tool name
	 * @param arguments the arguments object
	 * @param attributes what the caller knows about the call (a conversation id, an MCP
	 * session), handed to the tool in {@link ToolContext#attributes()}
	 * @return the result
	 * @throws UnknownToolException if no tool has that name
	 * @throws IllegalStateException when called on a thread that may not block
	 */
	ToolResult call(String name, JsonNode arguments, Map<String, ?> attributes);

	/**
	 * Call a tool with arguments as JSON text and wait for the result, without call
	 * attributes.
	 * @see #call(String, String, Map)
	 */
	default ToolResult call(String name, String argumentsJson) {
		return call(name, argumentsJson, Map.of());
	}

	/**
	 * Call a tool with arguments as JSON text and wait for the result. Text that is not
	 * JSON yields an error result.
	 * @see #call(String, JsonNode, Map)
	 */
	ToolResult call(String name, String argumentsJson, Map<String, ?> attributes);

	/**
	 * Call a tool on the registry's executor. Cancelling the returned future stops the
	 * call: a call still queued never runs, and a running one has its thread interrupted.
	 * A WebAssembly guest then stops at its next host call or pending HTTP request (on the
	 * Chicory runtime also in the middle of computing); a guest that only computes on
	 * wasmtime stops at its deadline. A {@code @GrainTool} method sees an ordinary
	 * interrupt.
	 * @param name the tool name
	 * @param arguments the arguments object
	 * @param attributes what the caller knows about the call, see
	 * {@link #call(String, JsonNode, Map)}
	 * @return the result; completes exceptionally with {@link UnknownToolException} if no
	 * tool has that name
	 */
	CompletableFuture<ToolResult> callAsync(String name, JsonNode arguments, Map<String, ?> attributes);

	/**
	 * Call a tool on the registry's executor, without call attributes.
	 * @see #callAsync(String, JsonNode, Map)
	 */
	default CompletableFuture<ToolResult> callAsync(String name, JsonNode arguments) {
		return callAsync(name, arguments, Map.of());
	}

	/**
	 * Call a tool with arguments as JSON text on the registry's executor.
	 * @see #callAsync(String, JsonNode)
	 */
	CompletableFuture<ToolResult> callAsync(String name, String argumentsJson);

	/**
	 * A listener's registration.
	 */
	interface ListenerRegistration extends AutoCloseable {

		/** Stop the notifications; closing twice does nothing. */
		@Override
		void close();

	}

}
