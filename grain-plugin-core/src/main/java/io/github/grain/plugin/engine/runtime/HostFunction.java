package io.github.grain.plugin.engine.runtime;

import io.github.grain.plugin.engine.module.FunctionType;

/**
 * A function the host provides to satisfy one import.
 */
public interface HostFunction {

	/** The core signature; must equal the import's. */
	FunctionType type();

	/**
	 * Run the function for a guest.
	 * @param caller the instance that called, to reach its memory and exports
	 * @param args core arguments
	 * @return core results
	 * @throws RuntimeException to trap the guest; the runtime rethrows it from the
	 * guest call that was running
	 */
	long[] call(RuntimeInstance caller, long[] args);

	/**
	 * A host function of the given signature.
	 * @param type the core signature
	 * @param body what it does
	 */
	static HostFunction of(FunctionType type, java.util.function.BiFunction<RuntimeInstance, long[], long[]> body) {
		return new HostFunction() {
			@Override
			public FunctionType type() {
				return type;
			}

			@Override
			public long[] call(RuntimeInstance caller, long[] args) {
				return body.apply(caller, args);
			}
		};
	}

}
