package io.github.grain.plugin.engine.runtime;

import java.util.List;

/**
 * A compiled core module, shareable across threads.
 */
public interface CompiledModule extends AutoCloseable {

	/**
	 * Link the module's imports to host functions, one per import in the module's import
	 * order, and return a pool of fresh instances.
	 * @param imports the host function for each import, in import order
	 * @return the pool
	 */
	InstancePool link(List<HostFunction> imports);

	@Override
	void close();

}
