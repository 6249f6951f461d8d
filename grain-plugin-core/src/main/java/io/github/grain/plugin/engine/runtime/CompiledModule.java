package io.github.grain.plugin.engine.runtime;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A compiled core module, shareable across threads.
 */
public interface CompiledModule extends AutoCloseable {

	/**
	 * Link the module's imports to host functions, one per import in the module's import
	 * order, and return a pool of fresh instances.
	 * @param imports the host function for each import, in import order
	 * @param initializer the reactor initialiser export every fresh instance runs once
	 * before it is handed out ({@code _initialize} or {@code cm32p2_initialize}), or
	 * {@code null} for none
	 * @return the pool
	 */
	InstancePool link(List<HostFunction> imports, @Nullable String initializer);

	@Override
	void close();

}
