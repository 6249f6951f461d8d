package io.github.grain.plugin.orchestration;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.LoadedPlugin.HookResult;
import io.github.grain.plugin.engine.UntrustedText;
import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.engine.wit.HostAction;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Calls every plugin subscribed to a hook point and turns what they return into validated
 * outcomes.
 * <p>
 * A plugin is subscribed to a point when one of its {@link LoadedPlugin#hooks() hooks}
 * names it (so v1 plugins and v2 plugins without {@code role-orchestration} never are).
 * Plugins are called one after the other in the order the supplier lists them (discovery
 * order), each in a fresh instance, with the same context. Each returned action is judged
 * by the {@link HostActionValidator} and reported to the {@link HookListener} at once;
 * a plugin that returns {@code err}, traps, runs past its deadline or breaks the ABI is
 * reported as a {@link HookCallFailed} and the next plugin is called. Each plugin's call is
 * reported to the {@link HookCallObserver} with its outcomes. Thread-safe.
 */
public final class HookDispatcher {

	private static final Log logger = LogFactory.getLog(HookDispatcher.class);

	private final Supplier<? extends List<? extends LoadedPlugin>> plugins;

	private final HostActionValidator validator;

	private final HookListener listener;

	private final HookCallObserver observer;

	/**
	 * A dispatcher over a changing set of plugins.
	 * @param plugins the loaded plugins in discovery order, asked at every dispatch
	 * @param validator judges every action
	 * @param listener hears every outcome
	 */
	public HookDispatcher(Supplier<? extends List<? extends LoadedPlugin>> plugins, HostActionValidator validator,
			HookListener listener) {
		this(plugins, validator, listener, HookCallObserver.NONE);
	}

	/**
	 * A dispatcher over a changing set of plugins, observed.
	 * @param plugins the loaded plugins in discovery order, asked at every dispatch
	 * @param validator judges every action
	 * @param listener hears every outcome
	 * @param observer watches every plugin's hook call
	 */
	public HookDispatcher(Supplier<? extends List<? extends LoadedPlugin>> plugins, HostActionValidator validator,
			HookListener listener, HookCallObserver observer) {
		this.plugins = Objects.requireNonNull(plugins, "plugins");
		this.validator = Objects.requireNonNull(validator, "validator");
		this.listener = Objects.requireNonNull(listener, "listener");
		this.observer = Objects.requireNonNull(observer, "observer");
	}

	/**
	 * A dispatcher over a fixed list of plugins.
	 * @param plugins the loaded plugins in discovery order
	 * @param validator judges every action
	 * @param listener hears every outcome
	 */
	public HookDispatcher(List<? extends LoadedPlugin> plugins, HostActionValidator validator, HookListener listener) {
		this(fixed(plugins), validator, listener);
	}

	private static Supplier<List<? extends LoadedPlugin>> fixed(List<? extends LoadedPlugin> plugins) {
		List<? extends LoadedPlugin> copy = List.copyOf(plugins);
		return () -> copy;
	}

	/**
	 * Call every plugin subscribed to the point.
	 * @param point the lifecycle point
	 * @param contextJson the context handed to every plugin, one JSON value
	 * @return the dispatch: accepted and rejected actions and failures, in order
	 * @throws InvalidHookContextException if the context is not one valid JSON value (no
	 * plugin is called)
	 */
	public HookDispatch dispatch(HookPoint point, String contextJson) {
		Objects.requireNonNull(point, "point");
		Objects.requireNonNull(contextJson, "contextJson");
		String problem = StrictJson.problem(contextJson);
		if (problem != null) {
			throw new InvalidHookContextException("hook context for '" + point.witName() + "' " + problem);
		}
		UUID id = UUID.randomUUID();
		List<String> called = new ArrayList<>();
		List<HookOutcome> outcomes = new ArrayList<>();
		for (LoadedPlugin plugin : this.plugins.get()) {
			if (plugin.hooks().stream().noneMatch((hook) -> hook.point() == point)) {
				continue;
			}
			called.add(plugin.name());
			HookCallObserver.Call observed = this.observer.start(point, plugin.name());
			int first = outcomes.size();
			try {
				callOne(id, point, plugin, contextJson, outcomes);
			}
			finally {
				observed.stop(List.copyOf(outcomes.subList(first, outcomes.size())));
			}
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Dispatch " + id + " of '" + point.witName() + "' called " + called + ": "
					+ outcomes.size() + " outcome(s)");
		}
		return new HookDispatch(id, point, called, outcomes);
	}

	private void callOne(UUID id, HookPoint point, LoadedPlugin plugin, String contextJson,
			List<HookOutcome> outcomes) {
		HookResult result;
		try {
			result = plugin.callHook(point, contextJson);
		}
		catch (RuntimeException ex) {
			HookCallFailed failed = new HookCallFailed(id, plugin.name(), point, HookCallFailed.kindOf(ex),
					String.valueOf(ex.getMessage()), ex);
			logger.warn(UntrustedText.forLog("Hook call of plugin '" + plugin.name() + "' at '" + point.witName()
					+ "' failed (" + failed.kind() + ", dispatch " + id + "): " + failed.message()));
			report(failed, outcomes);
			return;
		}
		if (result instanceof HookResult.Error error) {
			HookCallFailed failed = new HookCallFailed(id, plugin.name(), point, HookCallFailed.Kind.GUEST_ERROR,
					error.message(), null);
			logger.warn(UntrustedText.forLog("Hook call of plugin '" + plugin.name() + "' at '" + point.witName()
					+ "' returned err (dispatch " + id + "): " + error.message()));
			report(failed, outcomes);
			return;
		}
		for (HostAction action : ((HookResult.Actions) result).actions()) {
			Optional<String> rejection = this.validator.validate(plugin, point, action);
			if (rejection.isPresent()) {
				logger.warn(UntrustedText.forLog("Rejected " + action.kind() + " from plugin '" + plugin.name() + "' at '"
						+ point.witName() + "' (dispatch " + id + "): " + rejection.get()));
				report(new HookActionRejected(id, plugin.name(), point, action, rejection.get()), outcomes);
			}
			else {
				if (logger.isDebugEnabled()) {
					logger.debug("Accepted " + action.kind() + " from plugin '" + plugin.name() + "' at '"
							+ point.witName() + "' (dispatch " + id + ")");
				}
				report(new HookActionAccepted<>(id, plugin.name(), point, action), outcomes);
			}
		}
	}

	private void report(HookOutcome outcome, List<HookOutcome> outcomes) {
		outcomes.add(outcome);
		try {
			if (outcome instanceof HookActionAccepted<?> accepted) {
				this.listener.onAccepted(accepted);
			}
			else if (outcome instanceof HookActionRejected rejected) {
				this.listener.onRejected(rejected);
			}
			else if (outcome instanceof HookCallFailed failed) {
				this.listener.onFailed(failed);
			}
		}
		catch (RuntimeException ex) {
			// One broken listener must not cost the other plugins their say.
			logger.warn("Hook listener failed on " + outcome.getClass().getSimpleName() + " from plugin '"
					+ outcome.plugin() + "' (dispatch " + outcome.dispatchId() + ")", ex);
		}
	}

}
