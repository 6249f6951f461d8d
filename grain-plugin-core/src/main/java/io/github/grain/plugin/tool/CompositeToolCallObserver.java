package io.github.grain.plugin.tool;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The observer {@link ToolCallObserver#all} builds from two or more observers.
 */
final class CompositeToolCallObserver implements ToolCallObserver {

	private final List<ToolCallObserver> observers;

	CompositeToolCallObserver(List<ToolCallObserver> observers) {
		this.observers = List.copyOf(observers);
	}

	@Override
	public Call start(ToolDefinition tool) {
		List<Call> calls = new ArrayList<>(this.observers.size());
		eachOf(this.observers, (observer) -> calls.add(observer.start(tool)));
		return new CompositeCall(List.copyOf(calls));
	}

	/** Tell every element, whatever one of them throws; rethrow the first failure after. */
	private static <T> void eachOf(List<T> elements, Consumer<T> action) {
		RuntimeException first = null;
		for (T element : elements) {
			try {
				action.accept(element);
			}
			catch (RuntimeException ex) {
				if (first == null) {
					first = ex;
				}
				else {
					first.addSuppressed(ex);
				}
			}
		}
		if (first != null) {
			throw first;
		}
	}

	private record CompositeCall(List<Call> calls) implements Call {

		@Override
		public Scope openScope() {
			List<Scope> scopes = new ArrayList<>(this.calls.size());
			eachOf(this.calls, (call) -> scopes.add(0, call.openScope()));
			return () -> eachOf(scopes, Scope::close);
		}

		@Override
		public void stop(ToolCallOutcome outcome, @Nullable Throwable failure) {
			eachOf(this.calls, (call) -> call.stop(outcome, failure));
		}

	}

}
