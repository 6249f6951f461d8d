package io.github.grain.plugin.tool;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.grain.plugin.tool.DefaultToolRegistryTests.EchoTool;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link ToolCallObserver#all}: every observer sees every call through the registry, scopes
 * nest in order, and a failing observer keeps no other from hearing the call.
 */
class CompositeToolCallObserverTests {

	@Test
	void noObserversAreNoneAndOneIsItself() {
		RecordingToolCallObserver only = new RecordingToolCallObserver();
		assertThat(ToolCallObserver.all(List.of())).isSameAs(ToolCallObserver.NONE);
		assertThat(ToolCallObserver.all(List.of(ToolCallObserver.NONE, only))).isSameAs(only);
	}

	@Test
	void everyObserverSeesEveryCallOfTheRegistry() {
		RecordingToolCallObserver first = new RecordingToolCallObserver();
		RecordingToolCallObserver second = new RecordingToolCallObserver();
		try (DefaultToolRegistry registry = DefaultToolRegistry.builder()
			.observer(ToolCallObserver.all(List.of(first, second)))
			.build()) {
			registry.register(new EchoTool("echo", true));
			registry.call("echo", "{\"text\":\"hi\"}");
			registry.call("echo", "[]");
		}
		for (RecordingToolCallObserver observer : List.of(first, second)) {
			assertThat(observer.calls()).extracting(RecordingToolCallObserver.Recorded::outcome)
				.containsExactly(ToolCallOutcome.SUCCESS, ToolCallOutcome.INVALID_ARGUMENTS);
			assertThat(observer.calls()).allSatisfy((call) -> assertThat(call.openScopesAtStop).isIn(-1, 0));
		}
	}

	@Test
	void scopesOpenInOrderAndCloseInReverse() {
		List<String> seen = new CopyOnWriteArrayList<>();
		ToolCallObserver composite = ToolCallObserver.all(List.of(scoped("a", seen), scoped("b", seen)));
		ToolCallObserver.Call call = composite.start(new EchoTool("echo", true).definition());
		call.openScope().close();
		call.stop(ToolCallOutcome.SUCCESS, null);
		assertThat(seen).containsExactly("open a", "open b", "close b", "close a", "stop a SUCCESS", "stop b SUCCESS");
	}

	@Test
	void aFailingObserverKeepsNoOtherFromHearingTheCallAndItsFailureIsRethrown() {
		List<String> seen = new CopyOnWriteArrayList<>();
		ToolCallObserver failing = (tool) -> (outcome, failure) -> {
			throw new IllegalStateException("observer 'failing' broke on " + tool.name());
		};
		ToolCallObserver composite = ToolCallObserver.all(List.of(failing, scoped("b", seen)));
		ToolCallObserver.Call call = composite.start(new EchoTool("echo", true).definition());
		assertThatIllegalStateException().isThrownBy(() -> call.stop(ToolCallOutcome.ERROR, null))
			.withMessage("observer 'failing' broke on echo");
		assertThat(seen).containsExactly("stop b ERROR");
	}

	@Test
	void whenSeveralObserversFailTheFirstFailureIsRethrownCarryingTheOthers() {
		ToolCallObserver composite = ToolCallObserver.all(List.of(failing("a"), failing("b"), failing("c")));
		ToolCallObserver.Call call = composite.start(new EchoTool("echo", true).definition());
		assertThatIllegalStateException().isThrownBy(() -> call.stop(ToolCallOutcome.ERROR, null))
			.withMessage("observer 'a' broke")
			.satisfies((ex) -> assertThat(ex.getSuppressed()).extracting(Throwable::getMessage)
				.containsExactly("observer 'b' broke", "observer 'c' broke"));
	}

	private static ToolCallObserver failing(String name) {
		return (tool) -> (outcome, failure) -> {
			throw new IllegalStateException("observer '" + name + "' broke");
		};
	}

	private static ToolCallObserver scoped(String name, List<String> seen) {
		return (tool) -> new ToolCallObserver.Call() {

			@Override
			public ToolCallObserver.Scope openScope() {
				seen.add("open " + name);
				return () -> seen.add("close " + name);
			}

			@Override
			public void stop(ToolCallOutcome outcome, Throwable failure) {
				seen.add("stop " + name + " " + outcome);
			}

		};
	}

}
