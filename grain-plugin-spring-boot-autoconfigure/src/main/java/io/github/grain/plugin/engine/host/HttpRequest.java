package io.github.grain.plugin.engine.host;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An outbound request made by a guest.
 * @param plugin the plugin that made it
 * @param method {@code GET} or {@code POST}
 * @param url the URL as the guest wrote it
 * @param headers the guest's headers in order
 * @param body the body for {@code POST}, {@code null} for {@code GET}
 */
public record HttpRequest(String plugin, String method, String url, List<Map.Entry<String, String>> headers,
		@Nullable String body) {

	public HttpRequest {
		headers = List.copyOf(headers);
	}

}
