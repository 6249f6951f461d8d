package io.github.grain.plugin.tool;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.grain.plugin.engine.CallPermits;

/**
 * A callable tool: its definition and its behaviour. Implementations are thread-safe.
 * A Spring bean of this type is registered in the {@link ToolRegistry} at startup.
 */
public interface Tool {

	/** What the model and clients know about the tool. */
	ToolDefinition definition();

	/**
	 * Run the tool. The registry has validated {@code arguments} against the schema and,
	 * for a tool that is not read-only, obtained approval.
	 * @param arguments the arguments object
	 * @param context the call's context
	 * @return the result; failures the model should read are error results
	 */
	ToolResult call(JsonNode arguments, ToolContext context);

	/**
	 * Whether the tool stops itself at a deadline of its own, as a WebAssembly tool does
	 * (the engine interrupts its guest at the plugin's call timeout). The registry imposes
	 * its call timeout on every other tool, running it on one of its own threads so that a
	 * call that never returns can be abandoned.
	 * @return {@code false} unless the tool bounds its own time
	 */
	default boolean hasOwnDeadline() {
		return false;
	}

	/**
	 * The limit on calls in flight this tool shares with others (a WebAssembly plugin's),
	 * besides the registry's own slots; unlimited by default. The registry takes a permit
	 * before it gives the call a thread, so calls waiting their turn at a busy plugin hold
	 * none of the threads other tools need.
	 */
	default CallPermits permits() {
		return CallPermits.unlimited();
	}

}
