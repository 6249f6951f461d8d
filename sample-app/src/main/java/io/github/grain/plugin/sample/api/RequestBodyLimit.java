package io.github.grain.plugin.sample.api;

import io.github.grain.plugin.autoconfigure.GrainPluginsProperties;

import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ContentTooLargeException;

/**
 * The API's request-body limit follows {@code grain.plugins.max-arguments-size} (the
 * registry's limit on a call's arguments) instead of the codecs' 256 KB default: a body up
 * to that size is read and handed to the registry; a larger one is answered {@code 413}
 * with a problem detail that names the limit and the property.
 */
@Configuration(proxyBeanMethods = false)
@RestControllerAdvice(assignableTypes = { GrainApiController.class, HookApiController.class })
@Order(Ordered.HIGHEST_PRECEDENCE) // before the general problem-details handler
class RequestBodyLimit {

	private final GrainPluginsProperties properties;

	RequestBodyLimit(GrainPluginsProperties properties) {
		this.properties = properties;
	}

	@Bean
	static CodecCustomizer grainArgumentsSizeCodecLimit(GrainPluginsProperties properties) {
		int bytes = Math.toIntExact(properties.getMaxArgumentsSize().toBytes());
		return (configurer) -> configurer.defaultCodecs().maxInMemorySize(bytes);
	}

	@ExceptionHandler(ContentTooLargeException.class)
	ProblemDetail bodyTooLarge(ContentTooLargeException ex) {
		long limit = this.properties.getMaxArgumentsSize().toBytes();
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, "the request body is larger "
				+ "than the limit of " + limit + " bytes (grain.plugins.max-arguments-size)");
		problem.setTitle("Request body too large");
		problem.setProperty("limit", limit);
		return problem;
	}

}
