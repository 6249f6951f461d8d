package io.github.grain.plugin.tool;

import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.grain.plugin.engine.CallPermits;
import io.github.grain.plugin.engine.GrainPluginException;
import io.github.grain.plugin.engine.LivePlugin;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.PluginBusyException;
import io.github.grain.plugin.engine.UntrustedText;
import io.github.grain.plugin.engine.wit.ToolCallResult;
import io.github.grain.plugin.engine.wit.ToolDef;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One tool exported by a WebAssembly plugin. Its source is {@code wasm:<plugin>}; its
 * capability lists what the plugin was granted (the guest code may use any of it). A
 * trap, ABI violation or deadline becomes an error result naming the plugin (and, called
 * through the {@link DefaultToolRegistry}, the call's {@link ToolCallOutcome}).
 */
public final class WasmTool implements Tool {

	private static final Log logger = LogFactory.getLog(WasmTool.class);

	private final LivePlugin plugin;

	private final ToolDefinition definition;

	private final ObjectMapper mapper;

	/**
	 * Adapt one exported tool.
	 * @param plugin the loaded plugin
	 * @param tool one of {@code plugin.tools()}
	 * @param readOnly whether the application declares the tool free of side effects
	 * @param mapper the JSON mapper
	 * @throws InvalidToolException if the tool's {@code parameters-json} is not a JSON object
	 */
	public WasmTool(LoadedPlugin plugin, ToolDef tool, boolean readOnly, ObjectMapper mapper) {
		this(new LivePlugin(plugin), tool, readOnly, mapper);
	}

	/**
	 * Adapt one exported tool of a plugin that may be reloaded: calls go to the version
	 * serving at the time.
	 * @param live the plugin's handle
	 * @param tool one of the current version's tools
	 * @param readOnly whether the application declares the tool free of side effects
	 * @param mapper the JSON mapper
	 * @throws InvalidToolException if the tool's {@code parameters-json} is not a JSON object
	 */
	public WasmTool(LivePlugin live, ToolDef tool, boolean readOnly, ObjectMapper mapper) {
		this.plugin = live;
		LoadedPlugin plugin = live.current();
		this.mapper = mapper;
		String source = "wasm:" + plugin.name();
		JsonNode parameters;
		try {
			parameters = mapper.readTree(tool.parametersJson());
		}
		catch (JsonProcessingException ex) {
			throw new InvalidToolException("tool '" + tool.name() + "' of plugin '" + plugin.name()
					+ "' declares parameters-json that is not valid JSON: " + ex.getOriginalMessage(), ex);
		}
		if (parameters == null || !parameters.isObject()) {
			throw new InvalidToolException("tool '" + tool.name() + "' of plugin '" + plugin.name()
					+ "' declares parameters-json that is not a JSON object");
		}
		String capability = plugin.capabilities()
			.stream()
			.sorted()
			.map((granted) -> granted.wireName())
			.collect(Collectors.joining(","));
		String label = tool.label().isBlank() ? ToolNames.label(tool.name()) : tool.label();
		try {
			this.definition = new ToolDefinition(tool.name(), label, tool.description(), parameters, source,
					capability, readOnly);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidToolException(ex.getMessage(), ex);
		}
	}

	@Override
	public ToolDefinition definition() {
		return this.definition;
	}

	/** The engine stops the guest at the plugin's call timeout. */
	@Override
	public boolean hasOwnDeadline() {
		return true;
	}

	/** The plugin that exports the tool (the version serving now). */
	public LoadedPlugin plugin() {
		return this.plugin.current();
	}

	@Override
	public ToolResult call(JsonNode arguments, ToolContext context) {
		ToolCallResult result;
		try {
			String argumentsJson = this.mapper.writeValueAsString(arguments);
			result = this.plugin.call((plugin) -> plugin.callTool(this.definition.name(), argumentsJson));
		}
		catch (JsonProcessingException ex) {
			return ToolResult.error("arguments cannot be written as JSON: " + ex.getOriginalMessage());
		}
		catch (PluginBusyException ex) {
			ObservedToolCall.noteFailure(ex);
			return ToolResult.busy(ex.getMessage(), ex.retryAfter());
		}
		catch (GrainPluginException ex) {
			ObservedToolCall.noteFailure(ex);
			logger.warn(UntrustedText.forLog("Tool '" + this.definition.name() + "' of plugin '" + plugin().name()
					+ "' failed: " + ex.getMessage()));
			return ToolResult.error("plugin '" + plugin().name() + "' failed: " + ex.getMessage());
		}
		return new ToolResult(content(result.contentJson()), result.isError());
	}

	/** The permits of the plugin version serving now. */
	@Override
	public CallPermits permits() {
		return this.plugin.current().permits();
	}

	/** The guest's JSON text as a value; text that is not JSON is kept as a string. */
	private JsonNode content(String contentJson) {
		try {
			JsonNode node = this.mapper.readTree(contentJson);
			return (node != null && !node.isMissingNode()) ? node : TextNode.valueOf(contentJson);
		}
		catch (JsonProcessingException ex) {
			return TextNode.valueOf(contentJson);
		}
	}

	@Override
	public String toString() {
		return "WasmTool[" + this.definition.name() + " from plugin '" + plugin().name() + "']";
	}

}
