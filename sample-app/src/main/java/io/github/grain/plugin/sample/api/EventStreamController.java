package io.github.grain.plugin.sample.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/events}: live hook outcomes ({@code hook}), tool calls
 * ({@code tool-call}), approvals ({@code approval-pending}, {@code approval-decided}) and
 * plugin changes ({@code plugin}) as server-sent events, from the moment the stream opens.
 */
@RestController
class EventStreamController {

	/** A comment this often keeps idle streams open through proxies. */
	private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

	private final LiveEvents events;

	EventStreamController(LiveEvents events) {
		this.events = events;
	}

	/**
	 * The stream opens with a {@code connected} event, sent once the stream listens: whatever
	 * happens after a client has seen it reaches that client.
	 */
	@GetMapping(path = "/api/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<Object>> events() {
		// merge subscribes in order: the live events first, so nothing falls between them and "connected"
		return Flux.merge(this.events.flux(),
				Mono.fromSupplier(() -> ServerSentEvent.<Object>builder(Map.of("at", Instant.now()))
					.event("connected")
					.build()),
				Flux.interval(KEEP_ALIVE, KEEP_ALIVE)
					.map((tick) -> ServerSentEvent.<Object>builder().comment("keep-alive").build()));
	}

}
