package io.github.grain.plugin.tool;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
	 * Call a tool and wait for the result. The registry may run it on the calling thread
	 * (interrupting that thread then cancels the call). Must not be used on a thread that
	 * may not block (a Reactor event loop); use {@link #callAsync(String, JsonNode)} there.
	 * @param name the tool name
	 * @param arguments the arguments object
	 * @return the result
	 * @throws UnknownToolException if no tool has that name
	 * @throws IllegalStateException when called on a thread that may not block
	 */
	ToolResult call(String name, JsonNode arguments);

	/**
	 * Call a tool with arguments as JSON text and wait for the result. Text that is not
	 * JSON yields an error result.
	 * @see #call(String, JsonNode)
	 */
	ToolResult call(String name, String argumentsJson);

	/**
	 * Call a tool on the registry's executor. Cancelling the returned future stops the
	 * call: a call still queued never runs, and a running one has its thread interrupted.
	 * A WebAssembly guest then stops at its next host call or pending HTTP request (on the
	 * Chicory runtime also in the middle of computing); a guest that only computes on
	 * wasmtime stops at its deadline. A {@code @GrainTool} method sees an ordinary
	 * interrupt.
	 * @param name the tool name
	 * @param arguments the arguments object
	 * @return the result; completes exceptionally with {@link UnknownToolException} if no
	 * tool has that name
	 */
	CompletableFuture<ToolResult> callAsync(String name, JsonNode arguments);

	/**
	 * Call a tool with arguments as JSON text on the registry's executor.
	 * @see #callAsync(String, JsonNode)
	 */
	CompletableFuture<ToolResult> callAsync(String name, String argumentsJson);

}
