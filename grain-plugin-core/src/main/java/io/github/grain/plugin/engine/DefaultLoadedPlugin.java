package io.github.grain.plugin.engine;

import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import io.github.grain.plugin.engine.abi.VariantValue;
import io.github.grain.plugin.engine.runtime.CompiledModule;
import io.github.grain.plugin.engine.runtime.InstancePool;
import io.github.grain.plugin.engine.wit.GrainValues;
import io.github.grain.plugin.engine.wit.GrainWorld;
import io.github.grain.plugin.engine.wit.HookDef;
import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.engine.wit.PluginInfo;
import io.github.grain.plugin.engine.wit.RoleDef;
import io.github.grain.plugin.engine.wit.ToolCallResult;
import io.github.grain.plugin.engine.wit.ToolDef;
import io.github.grain.plugin.engine.wit.WorldKind;
import io.github.grain.plugin.engine.wit.WorldBinding;

/**
 * A loaded plugin: every operation opens a fresh {@link GuestSession}.
 */
final class DefaultLoadedPlugin implements LoadedPlugin {

	private final PluginSpec spec;

	private final String sha256;

	private final WorldBinding binding;

	private final CompiledModule compiled;

	private final InstancePool pool;

	private final PluginEngineOptions options;

	private PluginInfo info = new PluginInfo("", "");

	private List<ToolDef> tools = List.of();

	private List<RoleDef> roles = List.of();

	private List<HookDef> hooks = List.of();

	private volatile boolean closed;

	/** Calls hold the read side; close takes the write side, so native handles outlive every call. */
	private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();

	private final Runnable onClose;

	/** The limit on calls in flight: calls beyond it wait their turn, up to a bound. */
	private final CallPermits permits;

	private final java.util.concurrent.atomic.AtomicLong memoryHighWater = new java.util.concurrent.atomic.AtomicLong();

	private DefaultLoadedPlugin(PluginSpec spec, String sha256, WorldBinding binding, CompiledModule compiled,
			InstancePool pool, PluginEngineOptions options, Runnable onClose) {
		this.onClose = onClose;
		this.permits = new CallPermits(spec.name(), options.maxConcurrentCallsPerPlugin(),
				options.maxWaitingCallsPerPlugin(), options.callTimeout(), options.busyWait());
		this.spec = spec;
		this.sha256 = sha256;
		this.binding = binding;
		this.compiled = compiled;
		this.pool = pool;
		this.options = options;
	}

	/** Run {@code init} and read the plugin's metadata in one fresh instance. */
	static DefaultLoadedPlugin initialise(PluginSpec spec, String sha256, WorldBinding binding,
			CompiledModule compiled, InstancePool pool, PluginEngineOptions options, Runnable onClose) {
		DefaultLoadedPlugin plugin = new DefaultLoadedPlugin(spec, sha256, binding, compiled, pool, options, onClose);
		plugin.guarded((deadline) -> {
			try (GuestSession session = plugin.session(deadline)) {
				plugin.info = session.init();
				requireDisplayable(spec.name(), "name", plugin.info.name());
				requireDisplayable(spec.name(), "version", plugin.info.version());
				plugin.tools = List.copyOf(GrainValues.toolDefs(session.call(GrainWorld.LIST_TOOLS)));
				if (plugin.orchestrationEnabled()) {
					plugin.roles = List.copyOf(GrainValues.roleDefs(session.call(GrainWorld.LIST_ROLES)));
					plugin.hooks = List.copyOf(GrainValues.hookDefs(session.call(GrainWorld.LIST_HOOKS)));
				}
			}
			return null;
		});
		return plugin;
	}

	/** What init returns is shown in reports and logs: no control characters. */
	private static void requireDisplayable(String plugin, String field, String value) {
		String unsafe = UntrustedText.describeUnsafe(value);
		if (unsafe != null) {
			throw new InvalidPluginException("plugin '" + plugin + "' init returned a " + field + " with " + unsafe
					+ ": '" + UntrustedText.forLog(value) + "'");
		}
	}

	/**
	 * Run a call under one of the plugin's permits (the one its caller took for it, or one
	 * it waits for here) with what is left of its deadline.
	 */
	private <T> T guarded(java.util.function.Function<java.time.Duration, T> call) {
		CallPermits.Permit held = this.permits.held();
		if (held != null) {
			return open(held, call);
		}
		try (CallPermits.Permit permit = this.permits.await()) {
			return open(permit, call);
		}
	}

	private <T> T open(CallPermits.Permit permit, java.util.function.Function<java.time.Duration, T> call) {
		this.lifecycle.readLock().lock();
		try {
			if (this.closed) {
				throw new PluginClosedException(this.spec.name());
			}
			return call.apply(permit.remainingOrBusy());
		}
		finally {
			this.lifecycle.readLock().unlock();
		}
	}

	private boolean orchestrationEnabled() {
		return this.binding.world() == WorldKind.V2 && this.spec.capabilities().contains(Capability.ROLE_ORCHESTRATION);
	}

	private GuestSession session(java.time.Duration deadline) {
		return GuestSession.open(this.spec.name(), this.binding, this.pool, this.options, deadline,
				(bytes) -> this.memoryHighWater.accumulateAndGet(bytes, Math::max));
	}

	@Override
	public CallPermits permits() {
		return this.permits;
	}

	@Override
	public String name() {
		return this.spec.name();
	}

	@Override
	public PluginInfo info() {
		return this.info;
	}

	@Override
	public WorldKind world() {
		return this.binding.world();
	}

	@Override
	public String sha256() {
		return this.sha256;
	}

	@Override
	public WasmRuntimeKind runtime() {
		return this.options.runtime();
	}

	@Override
	public Set<Capability> capabilities() {
		return this.spec.capabilities();
	}

	@Override
	public long memoryHighWaterBytes() {
		return this.memoryHighWater.get();
	}

	@Override
	public List<ToolDef> tools() {
		return this.tools;
	}

	@Override
	public List<RoleDef> roles() {
		return this.roles;
	}

	@Override
	public List<HookDef> hooks() {
		return this.hooks;
	}

	@Override
	public ToolCallResult callTool(String tool, String argsJson) {
		return guarded((deadline) -> {
			try (GuestSession session = session(deadline)) {
				session.init();
				return GrainValues.toolResult(session.call(GrainWorld.CALL_TOOL, tool, argsJson));
			}
		});
	}

	@Override
	public HookResult callHook(HookPoint point, String contextJson) {
		if (!orchestrationEnabled()) {
			throw new GrainPluginException("plugin '" + this.spec.name() + "' has no hooks: "
					+ ((this.binding.world() == WorldKind.V2) ? "capability 'role-orchestration' not granted"
							: "it is a v1 plugin"));
		}
		return guarded((deadline) -> {
			try (GuestSession session = session(deadline)) {
				session.init();
				VariantValue result = (VariantValue) session.call(GrainWorld.CALL_HOOK,
						new VariantValue(point.ordinal(), null), contextJson);
				if (result.caseIndex() == 0) {
					return new HookResult.Actions(GrainValues.hostActions(result.payload()));
				}
				return new HookResult.Error((String) result.payload());
			}
		});
	}

	@Override
	public void close() {
		this.lifecycle.writeLock().lock();
		try {
			if (this.closed) {
				return;
			}
			this.closed = true;
			this.pool.close();
			this.compiled.close();
		}
		finally {
			this.lifecycle.writeLock().unlock();
		}
		this.onClose.run();
	}

}
