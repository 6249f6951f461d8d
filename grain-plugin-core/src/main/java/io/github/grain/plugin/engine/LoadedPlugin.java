package io.github.grain.plugin.engine;

import java.util.List;
import java.util.Set;

import io.github.grain.plugin.engine.wit.HookDef;
import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.engine.wit.HostAction;
import io.github.grain.plugin.engine.wit.PluginInfo;
import io.github.grain.plugin.engine.wit.RoleDef;
import io.github.grain.plugin.engine.wit.ToolCallResult;
import io.github.grain.plugin.engine.wit.ToolDef;
import io.github.grain.plugin.engine.wit.WorldKind;

/**
 * A compiled, linked and initialised plugin. Every call runs in a fresh instance
 * ({@code init} first), so a plugin keeps no state between calls. Thread-safe.
 */
public interface LoadedPlugin extends AutoCloseable {

	/** The host's name for the plugin (from its {@link PluginSpec}). */
	String name();

	/** What the plugin's {@code init} returned at load. */
	PluginInfo info();

	/** Which world the module targets. */
	WorldKind world();

	/** Lower-case hex SHA-256 of the binary as loaded. */
	String sha256();

	/** The runtime the plugin runs on. */
	WasmRuntimeKind runtime();

	/** The granted capabilities. */
	Set<Capability> capabilities();

	/**
	 * The largest linear memory any one instance of the plugin has had so far (its
	 * {@code init} at load included), in bytes; {@code 0} where it is not measured.
	 */
	default long memoryHighWaterBytes() {
		return 0;
	}

	/**
	 * The plugin's limit on calls in flight. Every call takes one of its permits, waiting
	 * its turn when all are taken; a caller that must not block a thread while a call waits
	 * takes the permit first ({@link CallPermits#acquire()}) and runs the call under it
	 * ({@link CallPermits.Permit#run}). Unlimited unless the implementation says otherwise.
	 */
	default CallPermits permits() {
		return CallPermits.unlimited();
	}

	/** The tools from {@code list-tools}, read once at load. */
	List<ToolDef> tools();

	/** The roles from {@code list-roles} (v2 with {@code role-orchestration}; otherwise empty). */
	List<RoleDef> roles();

	/** The hooks from {@code list-hooks} (v2 with {@code role-orchestration}; otherwise empty). */
	List<HookDef> hooks();

	/**
	 * Call a tool in a fresh instance.
	 * @param tool the tool name
	 * @param argsJson the arguments as JSON text
	 * @return what the guest returned
	 * @throws PluginBusyException when no call slot freed in time (see {@link #permits()})
	 * @throws GrainPluginException when the guest traps, violates the ABI or runs out of time
	 */
	ToolCallResult callTool(String tool, String argsJson);

	/**
	 * Call the plugin's hook for a point in a fresh instance.
	 * @param point the lifecycle point
	 * @param contextJson the context as JSON text
	 * @return the actions, unvalidated, or the guest's {@code err}
	 * @throws GrainPluginException when the guest traps, violates the ABI or runs out of time,
	 * or the plugin is not a v2 plugin with {@code role-orchestration}
	 */
	HookResult callHook(HookPoint point, String contextJson);

	/** Releases the compiled module and pooled native resources. */
	@Override
	void close();

	/**
	 * WIT {@code result<list<host-action>, string>}.
	 */
	sealed interface HookResult {

		/** {@code ok(actions)}. */
		record Actions(List<HostAction> actions) implements HookResult {
			public Actions {
				actions = List.copyOf(actions);
			}
		}

		/** {@code err(message)}. */
		record Error(String message) implements HookResult {
		}

	}

}
