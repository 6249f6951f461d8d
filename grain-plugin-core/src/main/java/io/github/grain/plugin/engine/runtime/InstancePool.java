package io.github.grain.plugin.engine.runtime;

import java.time.Duration;

/**
 * Hands out fresh instances of one linked module. Every instance has its own memory,
 * globals and tables; the runtime may reuse native scaffolding (stores, host function
 * objects) between them. Thread-safe.
 */
public interface InstancePool extends AutoCloseable {

	/**
	 * Instantiate the module afresh and run its reactor initialiser.
	 * @param deadline how long the instance may run in total, host calls included
	 * @return an instance, to be closed by the caller on the same thread
	 */
	RuntimeInstance instantiate(Duration deadline);

	@Override
	void close();

}
