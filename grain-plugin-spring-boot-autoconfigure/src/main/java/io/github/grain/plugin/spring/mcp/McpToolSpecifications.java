package io.github.grain.plugin.spring.mcp;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.grain.plugin.tool.ToolContext;
import io.github.grain.plugin.tool.ToolDefinition;
import io.github.grain.plugin.tool.ToolRegistry;
import io.github.grain.plugin.tool.ToolResult;
import io.github.grain.plugin.tool.UnknownToolException;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Registry tools as MCP tools: name, {@code title} = our label, description (never
 * empty), {@code inputSchema} = our JSON Schema, and the annotations our model supports
 * ({@code readOnlyHint} for read-only tools, {@code destructiveHint} for the others,
 * {@code openWorldHint} for tools that need the {@code http} capability). A call goes
 * through the registry off the event loop, and every outcome the model should read (a
 * tool error, a schema violation with its violations, a denied approval, a deadline, a
 * tool removed meanwhile) is an {@code isError: true} result with readable text, never a
 * protocol error. Cancelling the request cancels the call. A call carries the MCP
 * session id, the client's name and, when the session has an authenticated owner, its
 * principal ({@link ToolContext#PRINCIPAL}).
 */
public final class McpToolSpecifications {

	/** Attribute holding the MCP session id of the caller. */
	public static final String SESSION_ID = "mcp.session-id";

	/** Attribute holding the name the MCP client gave itself. */
	public static final String CLIENT_NAME = "mcp.client-name";

	private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
	};

	private final ToolRegistry registry;

	private final ObjectMapper mapper;

	private final Function<String, Optional<String>> sessionPrincipal;

	public McpToolSpecifications(ToolRegistry registry, ObjectMapper mapper) {
		this(registry, mapper, (session) -> Optional.empty());
	}

	/**
	 * @param registry the registry that runs the calls
	 * @param mapper the JSON mapper for arguments and schemas
	 * @param sessionPrincipal who owns an MCP session (see {@link McpSessionCallers}): a
	 * call carries that principal as {@link ToolContext#PRINCIPAL}
	 */
	public McpToolSpecifications(ToolRegistry registry, ObjectMapper mapper,
			Function<String, Optional<String>> sessionPrincipal) {
		this.registry = registry;
		this.mapper = mapper;
		this.sessionPrincipal = sessionPrincipal;
	}

	/**
	 * The MCP specification of one tool.
	 * @param definition the tool
	 * @return its specification, calling the registry
	 */
	public McpServerFeatures.AsyncToolSpecification specification(ToolDefinition definition) {
		McpSchema.Tool tool = McpSchema.Tool.builder()
			.name(definition.name())
			.title(definition.label())
			.description(definition.summary())
			.inputSchema(this.mapper.convertValue(definition.parameters(), OBJECT))
			.annotations(annotations(definition))
			.build();
		String name = definition.name();
		return McpServerFeatures.AsyncToolSpecification.builder()
			.tool(tool)
			.callHandler((exchange, request) -> call(name, exchange, request))
			.build();
	}

	static McpSchema.ToolAnnotations annotations(ToolDefinition definition) {
		boolean readOnly = definition.readOnly();
		return new McpSchema.ToolAnnotations(definition.label(), readOnly, readOnly ? null : Boolean.TRUE, null,
				needsHttp(definition), null);
	}

	/** Whether the tool's capability list ({@code log,env,http} for a plugin) names {@code http}. */
	static boolean needsHttp(ToolDefinition definition) {
		String capability = definition.capability();
		return capability != null && Arrays.stream(capability.split(",")).map(String::trim).anyMatch("http"::equals);
	}

	private Mono<CallToolResult> call(String name, McpAsyncServerExchange exchange, McpSchema.CallToolRequest request) {
		JsonNode arguments = this.mapper.valueToTree((request.arguments() != null) ? request.arguments() : Map.of());
		Map<String, Object> attributes = attributes(exchange);
		return Mono.fromFuture(() -> this.registry.callAsync(name, arguments, attributes))
			.map(McpToolSpecifications::result)
			.onErrorResume(UnknownToolException.class, (ex) -> Mono.just(error(ex.getMessage())));
	}

	private Map<String, Object> attributes(@Nullable McpAsyncServerExchange exchange) {
		Map<String, Object> attributes = new LinkedHashMap<>();
		if (exchange != null) {
			String session = exchange.sessionId();
			putIfPresent(attributes, SESSION_ID, session);
			if (session != null) {
				putIfPresent(attributes, ToolContext.PRINCIPAL, this.sessionPrincipal.apply(session).orElse(null));
			}
			McpSchema.Implementation client = exchange.getClientInfo();
			putIfPresent(attributes, CLIENT_NAME, (client != null) ? client.name() : null);
		}
		return attributes;
	}

	private static void putIfPresent(Map<String, Object> attributes, String name, @Nullable Object value) {
		if (value != null) {
			attributes.put(name, value);
		}
	}

	static CallToolResult result(ToolResult result) {
		return CallToolResult.builder()
			.content(List.of(new McpSchema.TextContent(result.text())))
			.isError(result.isError())
			.build();
	}

	private static CallToolResult error(@Nullable String message) {
		return CallToolResult.builder()
			.content(List.of(new McpSchema.TextContent((message != null) ? message : "the tool call failed")))
			.isError(true)
			.build();
	}

}
