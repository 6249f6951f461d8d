package io.github.grain.plugin.spring.mcp;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.grain.plugin.tool.ToolDefinition;
import io.github.grain.plugin.tool.ToolRegistry;
import io.modelcontextprotocol.server.McpAsyncServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Keeps an MCP server's tools in step with a {@link ToolRegistry}: on start it serves
 * every registry tool (replacing a same-named tool the server already had, such as one
 * Spring AI converted from our callbacks), then follows the registry's changes, so a
 * tool registered or removed at runtime reaches connected clients as
 * {@code notifications/tools/list_changed}.
 * <p>
 * Each change brings the server to the registry's current state (what was published is
 * compared with {@link ToolRegistry#definitions()}), so changes that race each other
 * still end in the registry's state.
 */
public final class McpToolPublisher implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(McpToolPublisher.class);

	private final ToolRegistry registry;

	private final McpAsyncServer server;

	private final McpToolSpecifications specifications;

	/** What this publisher has put on the server, by name. */
	private final Map<String, ToolDefinition> published = new HashMap<>();

	private ToolRegistry.@Nullable ListenerRegistration registration;

	public McpToolPublisher(ToolRegistry registry, McpAsyncServer server, McpToolSpecifications specifications) {
		this.registry = registry;
		this.server = server;
		this.specifications = specifications;
	}

	@Override
	public synchronized void start() {
		if (this.registration != null) {
			return;
		}
		this.registration = this.registry.addListener((change) -> synchronize());
		synchronize();
		if (logger.isDebugEnabled()) {
			logger.debug("Serving " + this.published.size() + " registry tool(s) over MCP");
		}
	}

	@Override
	public synchronized void stop() {
		if (this.registration != null) {
			this.registration.close();
			this.registration = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.registration != null;
	}

	/** The names this publisher serves, for diagnostics. */
	public synchronized List<String> publishedTools() {
		return this.published.keySet().stream().sorted().toList();
	}

	private synchronized void synchronize() {
		Map<String, ToolDefinition> current = new HashMap<>();
		this.registry.definitions().forEach((definition) -> current.put(definition.name(), definition));
		for (String name : List.copyOf(this.published.keySet())) {
			if (!current.containsKey(name)) {
				this.published.remove(name);
				// subscribing runs the removal now; the clients' notification follows asynchronously
				this.server.removeTool(name).subscribe(null, (ex) -> failed("remove", name, ex));
			}
		}
		current.forEach((name, definition) -> {
			if (!definition.equals(this.published.get(name))) {
				this.published.put(name, definition);
				this.server.addTool(this.specifications.specification(definition))
					.subscribe(null, (ex) -> failed("add", name, ex));
			}
		});
	}

	private static void failed(String action, String name, Throwable ex) {
		logger.warn("Could not " + action + " MCP tool '" + name + "' or notify the clients: " + ex);
	}

}
