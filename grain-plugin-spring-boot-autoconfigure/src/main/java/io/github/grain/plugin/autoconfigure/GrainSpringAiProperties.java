package io.github.grain.plugin.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the Spring AI and MCP integrations ({@code grain.plugins.spring-ai.*}).
 */
@ConfigurationProperties("grain.plugins.spring-ai")
public class GrainSpringAiProperties {

	/**
	 * Whether to offer every registry tool to Spring AI as a ToolCallbackProvider bean.
	 */
	private boolean enabled = true;

	/**
	 * Whether to register the application's Spring AI ToolCallback beans and the callbacks
	 * of its ToolCallbackProvider beans (MCP client tools included) in the tool registry,
	 * so their calls take the registry's validation and approval path.
	 */
	private boolean importToolCallbacks;

	private final Mcp mcp = new Mcp();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isImportToolCallbacks() {
		return this.importToolCallbacks;
	}

	public void setImportToolCallbacks(boolean importToolCallbacks) {
		this.importToolCallbacks = importToolCallbacks;
	}

	public Mcp getMcp() {
		return this.mcp;
	}

	/**
	 * Serving the registry over MCP.
	 */
	public static class Mcp {

		/**
		 * Whether to serve every registry tool through Spring AI's MCP server when its
		 * starter is on the class path, following runtime changes.
		 */
		private boolean enabled = true;

		/**
		 * Origins (scheme://host[:port]) whose web pages may call the MCP endpoints besides
		 * the server's own origin. A request with any other Origin header is refused with
		 * 403 before it reaches the MCP server; requests without one (clients that are not
		 * browsers) pass.
		 */
		private List<String> allowedOrigins = new ArrayList<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getAllowedOrigins() {
			return this.allowedOrigins;
		}

		public void setAllowedOrigins(List<String> allowedOrigins) {
			this.allowedOrigins = allowedOrigins;
		}

	}

}
