package io.github.grain.plugin.sample.api;

import java.util.Arrays;
import java.util.List;

import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.orchestration.HookDispatcher;
import io.github.grain.plugin.orchestration.InvalidHookContextException;
import io.github.grain.plugin.sample.api.HookOutcomeViews.DispatchView;
import io.github.grain.plugin.sample.api.HookOutcomeViews.EventView;
import io.github.grain.plugin.sample.hooks.HookActivityLog;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

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
 * {@code POST /api/hooks/{point}} dispatches a hook point to the subscribed plugins;
 * {@code GET /api/hooks/events} shows what the example listener heard. Hooks run guest
 * code, so a dispatch runs on a worker thread, never on the event loop.
 */
@RestController
@RequestMapping("/api/hooks")
class HookApiController {

	private final HookDispatcher dispatcher;

	private final HookActivityLog activity;

	HookApiController(HookDispatcher dispatcher, HookActivityLog activity) {
		this.dispatcher = dispatcher;
		this.activity = activity;
	}

	/**
	 * Dispatch a hook point.
	 * @param point the point in kebab-case, for example {@code after-tool-call}
	 * @param body the context handed to every plugin, one JSON value; none means {@code {}}
	 * @return the accepted and rejected actions and the failed calls, in order
	 */
	@PostMapping("/{point}")
	Mono<DispatchView> dispatch(@PathVariable String point, @RequestBody(required = false) @Nullable String body) {
		HookPoint hookPoint = Arrays.stream(HookPoint.values())
			.filter((candidate) -> candidate.witName().equals(point))
			.findFirst()
			.orElseThrow(() -> new UnknownHookPointException(point));
		String context = (body == null || body.isBlank()) ? "{}" : body;
		return Mono.fromCallable(() -> this.dispatcher.dispatch(hookPoint, context))
			.subscribeOn(Schedulers.boundedElastic())
			.map(DispatchView::of);
	}

	@GetMapping("/events")
	List<EventView> events() {
		return this.activity.recent().stream().map(EventView::of).toList();
	}

	@ExceptionHandler(UnknownHookPointException.class)
	ProblemDetail unknownPoint(UnknownHookPointException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
		problem.setTitle("Unknown hook point");
		problem.setProperty("point", ex.point);
		problem.setProperty("points", Arrays.stream(HookPoint.values()).map(HookPoint::witName).toList());
		return problem;
	}

	@ExceptionHandler(InvalidHookContextException.class)
	ProblemDetail invalidContext(InvalidHookContextException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setTitle("Invalid hook context");
		return problem;
	}

	/** The path names no hook point. */
	static class UnknownHookPointException extends RuntimeException {

		final String point;

		UnknownHookPointException(String point) {
			super("unknown hook point '" + point + "'");
			this.point = point;
		}

	}

}
