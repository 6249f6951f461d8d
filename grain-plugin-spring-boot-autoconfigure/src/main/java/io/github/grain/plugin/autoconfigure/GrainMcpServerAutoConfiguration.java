package io.github.grain.plugin.autoconfigure;

import io.github.grain.plugin.spring.mcp.McpToolPublisher;
import io.github.grain.plugin.spring.mcp.McpToolSpecifications;
import io.github.grain.plugin.tool.ToolJson;
import io.github.grain.plugin.tool.ToolRegistry;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpSyncServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Serves every registry tool through the MCP server of Spring AI's MCP server starter
 * (sync or async), with our titles and annotations, following runtime changes. Without
 * the MCP SDK on the class path, or without a server bean, it backs off.
 */
@AutoConfiguration(after = GrainPluginsAutoConfiguration.class,
		afterName = "org.springframework.ai.mcp.server.common.autoconfigure.McpServerAutoConfiguration")
@ConditionalOnClass(McpAsyncServer.class)
@ConditionalOnBean(ToolRegistry.class)
@ConditionalOnBooleanProperty(name = "grain.plugins.spring-ai.mcp.enabled", matchIfMissing = true)
public final class GrainMcpServerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	McpToolSpecifications grainMcpToolSpecifications(ToolRegistry toolRegistry) {
		return new McpToolSpecifications(toolRegistry, ToolJson.newMapper());
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(McpServerPresent.class)
	McpToolPublisher grainMcpToolPublisher(ToolRegistry toolRegistry, ObjectProvider<McpSyncServer> syncServer,
			ObjectProvider<McpAsyncServer> asyncServer, McpToolSpecifications specifications) {
		McpSyncServer sync = syncServer.getIfAvailable();
		McpAsyncServer server = (sync != null) ? sync.getAsyncServer() : asyncServer.getObject();
		return new McpToolPublisher(toolRegistry, server, specifications);
	}

	/** Spring AI's MCP server starter made a sync or an async server. */
	static final class McpServerPresent extends AnyNestedCondition {

		McpServerPresent() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBean(McpSyncServer.class)
		static final class SyncServer {

		}

		@ConditionalOnBean(McpAsyncServer.class)
		static final class AsyncServer {

		}

	}

}
