package io.github.grain.plugin.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Set;

import io.github.grain.plugin.spring.mcp.McpOriginFilter;
import io.github.grain.plugin.spring.mcp.McpSessionCallers;
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
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.server.WebFilter;

/**
 * Serves every registry tool through the MCP server of Spring AI's MCP server starter
 * (sync or async), with our titles and annotations, following runtime changes. Without
 * the MCP SDK on the class path, or without a server bean, it backs off.
 * <p>
 * In a reactive web application the MCP endpoints (Spring AI's
 * {@code spring.ai.mcp.server.streamable-http.mcp-endpoint}, {@code sse-endpoint} and
 * {@code sse-message-endpoint}) are guarded by an {@link McpOriginFilter} (foreign
 * {@code Origin}: 403) and their sessions bound to their authenticated callers by
 * {@link McpSessionCallers}, whose principal each tool call then carries. The servlet MCP
 * transports get neither.
 */
@AutoConfiguration(after = GrainPluginsAutoConfiguration.class,
		afterName = "org.springframework.ai.mcp.server.common.autoconfigure.McpServerAutoConfiguration")
@ConditionalOnClass(McpAsyncServer.class)
@ConditionalOnBean(ToolRegistry.class)
@ConditionalOnBooleanProperty(name = "grain.plugins.spring-ai.mcp.enabled", matchIfMissing = true)
@EnableConfigurationProperties(GrainSpringAiProperties.class)
public final class GrainMcpServerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	McpToolSpecifications grainMcpToolSpecifications(ToolRegistry toolRegistry,
			ObjectProvider<McpSessionCallers> sessionCallers) {
		McpSessionCallers callers = sessionCallers.getIfAvailable();
		return (callers != null) ? new McpToolSpecifications(toolRegistry, ToolJson.newMapper(), callers::principal)
				: new McpToolSpecifications(toolRegistry, ToolJson.newMapper());
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

	/** The MCP endpoints of a reactive web application: Origin validation and session owners. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass(WebFilter.class)
	static final class ReactiveMcpEndpoints {

		@Bean
		@ConditionalOnMissingBean
		McpOriginFilter grainMcpOriginFilter(GrainSpringAiProperties properties, Environment environment) {
			try {
				return new McpOriginFilter(mcpPaths(environment), properties.getMcp().getAllowedOrigins());
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidGrainPluginsPropertyException("grain.plugins.spring-ai.mcp.allowed-origins",
						String.join(",", properties.getMcp().getAllowedOrigins()), "holds an entry that is not an origin",
						"List each allowed origin as scheme://host[:port], such as https://console.example.com.", ex);
			}
		}

		@Bean
		@ConditionalOnMissingBean
		McpSessionCallers grainMcpSessionCallers(Environment environment) {
			return new McpSessionCallers(mcpPaths(environment));
		}

		/** The paths of Spring AI's MCP endpoints, as its properties set them. */
		static Set<String> mcpPaths(Environment environment) {
			Set<String> paths = new LinkedHashSet<>();
			paths.add(environment.getProperty("spring.ai.mcp.server.streamable-http.mcp-endpoint", "/mcp"));
			paths.add(environment.getProperty("spring.ai.mcp.server.sse-endpoint", "/sse"));
			paths.add(environment.getProperty("spring.ai.mcp.server.sse-message-endpoint", "/mcp/message"));
			return paths;
		}

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
