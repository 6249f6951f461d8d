package io.github.grain.plugin.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.github.grain.plugin.engine.AbiViolationException;
import io.github.grain.plugin.engine.GrainPluginException;
import io.github.grain.plugin.engine.GuestTrapException;
import io.github.grain.plugin.engine.TrapKind;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.LoadedPlugin.HookResult;
import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.engine.wit.HostAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dispatcher over synthetic plugins: subscription, order, isolation of failures,
 * listener callbacks and the context check.
 */
class HookDispatcherTests {

	private static final HostActionValidator validator = new HostActionValidator(Set.of("echo")::contains);

	private final RecordingHookListener listener = new RecordingHookListener();

	private HookDispatcher dispatcher(LoadedPlugin... plugins) {
		return new HookDispatcher(List.of(plugins), validator, this.listener);
	}

	@Test
	void onlyPluginsSubscribedToThePointAreCalled() {
		FakePlugin starter = new FakePlugin("starter", List.of(), List.of(HookPoint.BEFORE_AGENT_START),
				(point, context) -> new HookResult.Actions(List.of(new HostAction.SetUiStatus("starting"))));
		FakePlugin stopper = new FakePlugin("stopper", List.of(), List.of(HookPoint.SHOULD_STOP_AFTER_TURN),
				(point, context) -> new HookResult.Actions(List.of(new HostAction.StopAfterTurn(true))));
		FakePlugin deaf = new FakePlugin("deaf", List.of(), List.of(), (point, context) -> {
			throw new AssertionError("not subscribed");
		});

		HookDispatch dispatch = dispatcher(starter, deaf, stopper).dispatch(HookPoint.SHOULD_STOP_AFTER_TURN, "{}");

		assertThat(dispatch.plugins()).containsExactly("stopper");
		assertThat(dispatch.actions()).containsExactly(new HostAction.StopAfterTurn(true));
		assertThat(starter.calls).isEmpty();
		assertThat(deaf.calls).isEmpty();
		assertThat(stopper.calls).containsExactly("should-stop-after-turn {}");
	}

	@Test
	void pluginsAreCalledInTheirListedOrderWithTheSameContext() {
		FakePlugin a = FakePlugin.returning("a", new HostAction.SetUiStatus("a1"), new HostAction.SetUiStatus("a2"));
		FakePlugin b = FakePlugin.returning("b", new HostAction.SetUiStatus("b1"));
		String context = "{\"turn\": 3}";

		HookDispatch forward = dispatcher(a, b).dispatch(HookPoint.AFTER_TOOL_CALL, context);
		HookDispatch backward = dispatcher(b, a).dispatch(HookPoint.AFTER_TOOL_CALL, context);

		assertThat(forward.plugins()).containsExactly("a", "b");
		assertThat(forward.actions()).containsExactly(new HostAction.SetUiStatus("a1"), new HostAction.SetUiStatus("a2"),
				new HostAction.SetUiStatus("b1"));
		assertThat(backward.plugins()).containsExactly("b", "a");
		assertThat(backward.actions()).containsExactly(new HostAction.SetUiStatus("b1"),
				new HostAction.SetUiStatus("a1"), new HostAction.SetUiStatus("a2"));
		assertThat(a.calls).containsExactly("after-tool-call " + context, "after-tool-call " + context);
	}

	@Test
	void acceptedAndRejectedActionsKeepTheirOrderAndEveryOutcomeIsHeardOnce() {
		FakePlugin mixed = FakePlugin.returning("mixed", new HostAction.SetActiveTools(List.of("echo")),
				new HostAction.SetActiveTools(List.of("rm")), new HostAction.EmitCustom("{}"),
				new HostAction.StopAfterTurn(true));

		HookDispatch dispatch = dispatcher(mixed).dispatch(HookPoint.PREPARE_NEXT_TURN, "{}");

		assertThat(this.listener.callbacks).containsExactly("accepted mixed set-active-tools",
				"rejected mixed set-active-tools", "accepted mixed emit-custom", "rejected mixed stop-after-turn");
		assertThat(this.listener.outcomes).isEqualTo(dispatch.outcomes());
		assertThat(dispatch.accepted()).<HostAction>extracting(HookActionAccepted::action)
			.containsExactly(new HostAction.SetActiveTools(List.of("echo")), new HostAction.EmitCustom("{}"));
		assertThat(dispatch.rejected()).extracting(HookActionRejected::action, HookActionRejected::reason)
			.containsExactly(
					tuple(new HostAction.SetActiveTools(List.of("rm")),
							"unknown tool 'rm'; the whole tool set is refused"),
					tuple(new HostAction.StopAfterTurn(true),
							"stop-after-turn is only honoured from 'should-stop-after-turn', not from 'prepare-next-turn'"));
		assertThat(dispatch.failures()).isEmpty();
	}

	@Test
	void everyOutcomeCarriesPluginPointAndTheDispatchId() {
		FakePlugin good = FakePlugin.returning("good", new HostAction.SetUiStatus("ok"), new HostAction.SwitchModel(""));
		FakePlugin bad = FakePlugin.throwing("bad", new GrainPluginException("boom"));
		HookDispatcher dispatcher = dispatcher(good, bad);

		HookDispatch first = dispatcher.dispatch(HookPoint.BEFORE_AGENT_START, "{}");
		HookDispatch second = dispatcher.dispatch(HookPoint.BEFORE_AGENT_START, "{}");

		assertThat(first.outcomes()).hasSize(3).allSatisfy((outcome) -> {
			assertThat(outcome.dispatchId()).isEqualTo(first.id());
			assertThat(outcome.point()).isEqualTo(HookPoint.BEFORE_AGENT_START);
		});
		assertThat(first.outcomes()).extracting(HookOutcome::plugin).containsExactly("good", "good", "bad");
		assertThat(second.id()).isNotEqualTo(first.id());
	}

	static Stream<Arguments> failures() {
		return Stream.of(
				Arguments.of(new GuestTrapException(TrapKind.UNREACHABLE_CODE_REACHED, "trapped", null), HookCallFailed.Kind.TRAP),
				Arguments.of(new GuestTrapException(TrapKind.DEADLINE, "ran past its deadline", null),
						HookCallFailed.Kind.DEADLINE),
				Arguments.of(new AbiViolationException("string out of bounds"), HookCallFailed.Kind.ABI_VIOLATION),
				Arguments.of(new GrainPluginException("has no hooks"), HookCallFailed.Kind.HOST_ERROR),
				Arguments.of(new IllegalStateException("plugin 'x' is closed"), HookCallFailed.Kind.HOST_ERROR));
	}

	@ParameterizedTest
	@MethodSource("failures")
	void aFailingPluginIsReportedAndTheOthersStillSpeak(RuntimeException failure, HookCallFailed.Kind kind) {
		FakePlugin before = FakePlugin.returning("before", new HostAction.SetUiStatus("b"));
		FakePlugin broken = FakePlugin.throwing("broken", failure);
		FakePlugin after = FakePlugin.returning("after", new HostAction.SetUiStatus("a"));

		HookDispatch dispatch = dispatcher(before, broken, after).dispatch(HookPoint.AFTER_TOOL_CALL, "{}");

		assertThat(dispatch.failures()).singleElement().satisfies((failed) -> {
			assertThat(failed.plugin()).isEqualTo("broken");
			assertThat(failed.kind()).isEqualTo(kind);
			assertThat(failed.message()).isEqualTo(failure.getMessage());
			assertThat(failed.cause()).isSameAs(failure);
		});
		assertThat(dispatch.actions()).containsExactly(new HostAction.SetUiStatus("b"), new HostAction.SetUiStatus("a"));
		assertThat(this.listener.callbacks).containsExactly("accepted before set-ui-status", "failed broken " + kind,
				"accepted after set-ui-status");
	}

	@Test
	void aGuestErrIsAFailureWithItsMessage() {
		FakePlugin refusing = new FakePlugin("refusing", List.of(), List.of(HookPoint.values()),
				(point, context) -> new HookResult.Error("not today"));

		HookDispatch dispatch = dispatcher(refusing).dispatch(HookPoint.AFTER_TOOL_CALL, "{}");

		assertThat(dispatch.failures()).containsExactly(new HookCallFailed(dispatch.id(), "refusing",
				HookPoint.AFTER_TOOL_CALL, HookCallFailed.Kind.GUEST_ERROR, "not today", null));
	}

	@Test
	void aThrowingListenerDoesNotStopTheDispatch() {
		List<String> heard = new ArrayList<>();
		HookListener grumpy = new HookListener() {
			@Override
			public void onAccepted(HookActionAccepted<?> accepted) {
				heard.add(((HostAction.SetUiStatus) accepted.action()).status());
				throw new IllegalStateException("listener bug");
			}
		};
		HookDispatcher dispatcher = new HookDispatcher(
				List.of(FakePlugin.returning("a", new HostAction.SetUiStatus("1"), new HostAction.SetUiStatus("2")),
						FakePlugin.returning("b", new HostAction.SetUiStatus("3"))),
				validator, grumpy);

		HookDispatch dispatch = dispatcher.dispatch(HookPoint.AFTER_TOOL_CALL, "{}");

		assertThat(heard).containsExactly("1", "2", "3");
		assertThat(dispatch.actions()).hasSize(3);
	}

	@Test
	void thePluginSupplierIsAskedAtEveryDispatch() {
		List<LoadedPlugin> plugins = new ArrayList<>();
		HookDispatcher dispatcher = new HookDispatcher(() -> List.copyOf(plugins), validator, HookListener.NONE);

		assertThat(dispatcher.dispatch(HookPoint.AFTER_TOOL_CALL, "{}").plugins()).isEmpty();
		plugins.add(FakePlugin.returning("late", new HostAction.SetUiStatus("here")));
		assertThat(dispatcher.dispatch(HookPoint.AFTER_TOOL_CALL, "{}").plugins()).containsExactly("late");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "  ", "{", "{\"case\":\"all\"} {}", "{'case':'all'}", "{\"a\":1,\"a\":2}" })
	void anInvalidContextCallsNoPlugin(String context) {
		FakePlugin plugin = FakePlugin.returning("p", new HostAction.SetUiStatus("x"));

		assertThatExceptionOfType(InvalidHookContextException.class)
			.isThrownBy(() -> dispatcher(plugin).dispatch(HookPoint.AFTER_TOOL_CALL, context))
			.withMessageStartingWith("hook context for 'after-tool-call' ");
		assertThat(plugin.calls).isEmpty();
		assertThat(this.listener.outcomes).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "{}", "[]", "null", "\"text\"", " {\"nested\": {\"deep\": [1, 2.5, true]}} " })
	void anyJsonValueIsAValidContext(String context) {
		FakePlugin plugin = FakePlugin.returning("p");

		dispatcher(plugin).dispatch(HookPoint.AFTER_TOOL_CALL, context);

		assertThat(plugin.calls).containsExactly("after-tool-call " + context);
	}

	@Test
	void theInvalidContextMessageSaysWhatIsWrong() {
		assertThatExceptionOfType(InvalidHookContextException.class)
			.isThrownBy(() -> dispatcher().dispatch(HookPoint.PREPARE_NEXT_TURN, ""))
			.withMessage("hook context for 'prepare-next-turn' is empty, not JSON");
	}

	@Test
	void acceptedActionsExposeTheirConcreteType() {
		HookDispatch dispatch = dispatcher(FakePlugin.returning("p", new HostAction.SwitchModel("m"),
				new HostAction.SetUiStatus("s"))).dispatch(HookPoint.AFTER_TOOL_CALL, "{}");

		assertThat(dispatch.accepted()).<Class<?>>extracting(HookActionAccepted::actionType)
			.containsExactly(HostAction.SwitchModel.class, HostAction.SetUiStatus.class);
	}

}
