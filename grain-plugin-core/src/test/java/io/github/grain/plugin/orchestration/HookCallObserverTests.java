package io.github.grain.plugin.orchestration;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.grain.plugin.engine.GuestTrapException;
import io.github.grain.plugin.engine.TrapKind;
import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.engine.wit.HostAction;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Each subscribed plugin's hook call reaches the {@link HookCallObserver} once, on the
 * dispatching thread, with exactly that plugin's outcomes.
 */
class HookCallObserverTests {

	private static final HostActionValidator validator = new HostActionValidator(Set.of("echo")::contains);

	private final List<String> events = new CopyOnWriteArrayList<>();

	private final HookCallObserver observer = (point, plugin) -> {
		this.events.add("start " + point.witName() + " " + plugin + " on " + Thread.currentThread().getName());
		return (outcomes) -> this.events.add("stop " + plugin + " " + outcomes.stream()
			.map((outcome) -> outcome.getClass().getSimpleName() + ":" + outcome.plugin())
			.toList());
	};

	@Test
	void everySubscribedPluginsCallIsObservedWithItsOwnOutcomes() {
		FakePlugin mixed = FakePlugin.returning("mixed", new HostAction.SetActiveTools(List.of("echo")),
				new HostAction.SetActiveTools(List.of("rm")));
		FakePlugin broken = FakePlugin.throwing("broken",
				new GuestTrapException(TrapKind.DEADLINE, "ran past its deadline", null));
		FakePlugin deaf = new FakePlugin("deaf", List.of(), List.of(), (point, context) -> {
			throw new AssertionError("not subscribed");
		});
		HookDispatcher dispatcher = new HookDispatcher(() -> List.of(mixed, deaf, broken), validator,
				HookListener.NONE, this.observer);

		dispatcher.dispatch(HookPoint.AFTER_TOOL_CALL, "{}");

		String thread = Thread.currentThread().getName();
		assertThat(this.events).containsExactly("start after-tool-call mixed on " + thread,
				"stop mixed [HookActionAccepted:mixed, HookActionRejected:mixed]",
				"start after-tool-call broken on " + thread, "stop broken [HookCallFailed:broken]");
	}

	@Test
	void aContextThatIsNotJsonCallsNoPluginAndIsNotObserved() {
		HookDispatcher dispatcher = new HookDispatcher(() -> List.of(FakePlugin.returning("a")), validator,
				HookListener.NONE, this.observer);
		assertThatExceptionOfType(InvalidHookContextException.class)
			.isThrownBy(() -> dispatcher.dispatch(HookPoint.AFTER_TOOL_CALL, "{oops"));
		assertThat(this.events).isEmpty();
	}

}
