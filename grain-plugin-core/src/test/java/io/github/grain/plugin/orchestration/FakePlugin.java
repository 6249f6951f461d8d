package io.github.grain.plugin.orchestration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.wit.HookDef;
import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.engine.wit.HostAction;
import io.github.grain.plugin.engine.wit.PluginInfo;
import io.github.grain.plugin.engine.wit.RoleDef;
import io.github.grain.plugin.engine.wit.ToolCallResult;
import io.github.grain.plugin.engine.wit.ToolDef;
import io.github.grain.plugin.engine.wit.WorldKind;

/**
 * A synthetic v2 plugin: declared roles and hooks, and a scripted {@code call-hook}. Records
 * the calls it receives.
 */
final class FakePlugin implements LoadedPlugin {

	private final String name;

	private final List<RoleDef> roles;

	private final List<HookDef> hooks;

	private final BiFunction<HookPoint, String, HookResult> hook;

	final List<String> calls = new ArrayList<>();

	FakePlugin(String name, List<RoleDef> roles, List<HookPoint> points,
			BiFunction<HookPoint, String, HookResult> hook) {
		this.name = name;
		this.roles = List.copyOf(roles);
		this.hooks = points.stream().map((point) -> new HookDef(point, point.witName())).toList();
		this.hook = hook;
	}

	/** A plugin without roles, hooked on every point, answering with these actions. */
	static FakePlugin returning(String name, HostAction... actions) {
		return new FakePlugin(name, List.of(), Arrays.asList(HookPoint.values()),
				(point, context) -> new HookResult.Actions(List.of(actions)));
	}

	/** A plugin without roles, hooked on every point, throwing this exception. */
	static FakePlugin throwing(String name, RuntimeException failure) {
		return new FakePlugin(name, List.of(), Arrays.asList(HookPoint.values()), (point, context) -> {
			throw failure;
		});
	}

	/** A plugin with these roles and no hooks, for validator tables. */
	static FakePlugin withRoles(String name, RoleDef... roles) {
		return new FakePlugin(name, List.of(roles), List.of(), (point, context) -> {
			throw new AssertionError("not hooked");
		});
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public PluginInfo info() {
		return new PluginInfo(this.name, "0.0.0");
	}

	@Override
	public WorldKind world() {
		return WorldKind.V2;
	}

	@Override
	public String sha256() {
		return "0".repeat(64);
	}

	@Override
	public io.github.grain.plugin.engine.WasmRuntimeKind runtime() {
		return io.github.grain.plugin.engine.WasmRuntimeKind.WASMTIME;
	}

	@Override
	public Set<Capability> capabilities() {
		return Set.of(Capability.ROLE_ORCHESTRATION);
	}

	@Override
	public List<ToolDef> tools() {
		return List.of();
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
		throw new UnsupportedOperationException();
	}

	@Override
	public HookResult callHook(HookPoint point, String contextJson) {
		this.calls.add(point.witName() + " " + contextJson);
		return this.hook.apply(point, contextJson);
	}

	@Override
	public void close() {
	}

}
