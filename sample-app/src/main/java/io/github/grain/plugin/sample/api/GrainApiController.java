package io.github.grain.plugin.sample.api;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.tool.ToolContext;
import io.github.grain.plugin.tool.ToolJson;
import io.github.grain.plugin.tool.ToolRegistry;
import io.github.grain.plugin.tool.UnknownToolException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/tools}, {@code POST /api/tools/{name}}, {@code GET /api/plugins}. Tool
 * calls run on the registry's executor, never on the event loop, on behalf of the
 * authenticated caller ({@link ToolContext#PRINCIPAL}: the approval handler sees it, and
 * the registry's rate limit counts per caller).
 */
@RestController
@RequestMapping("/api")
class GrainApiController {

	private final ToolRegistry registry;

	private final PluginCatalog catalog;

	private final ObjectMapper json = ToolJson.newMapper();

	GrainApiController(ToolRegistry registry, PluginCatalog catalog) {
		this.registry = registry;
		this.catalog = catalog;
	}

	@GetMapping("/tools")
	List<ToolView> tools() {
		return this.registry.definitions().stream().map(ToolView::of).toList();
	}

	@PostMapping("/tools/{name}")
	Mono<CallView> call(@PathVariable String name, @RequestBody(required = false) @Nullable String body,
			@Nullable Principal principal) {
		if (!this.registry.contains(name)) {
			return Mono.error(new UnknownToolException(name));
		}
		JsonNode arguments = parse(body);
		Map<String, Object> attributes = (principal != null) ? Map.of(ToolContext.PRINCIPAL, principal.getName())
				: Map.of();
		return Mono.fromFuture(() -> this.registry.callAsync(name, arguments, attributes)).map(CallView::of);
	}

	@GetMapping("/plugins")
	List<PluginView> plugins() {
		return this.catalog.plugins().stream().map(PluginView::of).toList();
	}

	@ExceptionHandler(UnknownToolException.class)
	ProblemDetail unknownTool(UnknownToolException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
		problem.setTitle("Unknown tool");
		problem.setProperty("tool", ex.toolName());
		return problem;
	}

	@ExceptionHandler(MalformedArgumentsException.class)
	ProblemDetail malformedArguments(MalformedArgumentsException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setTitle("Malformed JSON body");
		return problem;
	}

	private JsonNode parse(@Nullable String body) {
		if (body == null || body.isBlank()) {
			return this.json.createObjectNode();
		}
		try {
			return this.json.readTree(body);
		}
		catch (JsonProcessingException ex) {
			String where = (ex.getLocation() != null)
					? " at line " + ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr() : "";
			throw new MalformedArgumentsException("the request body is not valid JSON" + where + ": "
					+ ex.getOriginalMessage());
		}
	}

	/** The request body could not be parsed as JSON. */
	static class MalformedArgumentsException extends RuntimeException {

		MalformedArgumentsException(String message) {
			super(message);
		}

	}

}
