package io.github.grain.plugin.sample.api;

import java.util.List;
import java.util.Locale;

import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.discovery.PluginReport;
import io.github.grain.plugin.engine.wit.HookDef;
import io.github.grain.plugin.engine.wit.RoleDef;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code GET /api/plugins}.
 * @param name the plugin's name
 * @param version its version (from {@code init} when loaded, else from the manifest)
 * @param status {@code loaded}, {@code failed} or {@code disabled}
 * @param world {@code v1} or {@code v2}, when loaded
 * @param capabilities the granted capabilities
 * @param tools the names of its tools
 * @param sha256 the SHA-256 of the module, when it could be read
 * @param error why it failed
 * @param roles the roles it declares (a loaded v2 plugin granted {@code role-orchestration})
 * @param hooks the hooks it subscribes (likewise)
 * @param runtime {@code wasmtime} or {@code chicory}, when loaded
 */
public record PluginView(String name, @Nullable String version, String status, @Nullable String world,
		List<String> capabilities, List<String> tools, @Nullable String sha256, @Nullable String error,
		List<RoleView> roles, List<HookView> hooks, @Nullable String runtime) {

	static PluginView of(PluginReport report) {
		LoadedPlugin plugin = report.plugin();
		return new PluginView(report.name(), report.version(), report.status().name().toLowerCase(Locale.ROOT),
				(report.world() != null) ? report.world().name().toLowerCase(Locale.ROOT) : null,
				report.capabilities().stream().sorted().map(Capability::wireName).toList(), report.tools(),
				report.sha256(), report.error(),
				(plugin != null) ? plugin.roles().stream().map(RoleView::of).toList() : List.of(),
				(plugin != null) ? plugin.hooks().stream().map(HookView::of).toList() : List.of(),
				(plugin != null) ? plugin.runtime().id() : null);
	}

	/**
	 * A role a v2 plugin declares.
	 * @param name the role's name, as {@code switch-role} names it
	 * @param model the model id
	 * @param prompt the system prompt
	 * @param tools the tools active in the role
	 * @param thinkingLevel the thinking level, if any
	 */
	public record RoleView(String name, String model, String prompt, List<String> tools,
			@Nullable String thinkingLevel) {

		static RoleView of(RoleDef role) {
			return new RoleView(role.name(), role.model(), role.prompt(), role.tools(), role.thinkingLevel());
		}

	}

	/**
	 * A hook a v2 plugin subscribes.
	 * @param point the hook point in kebab-case, for example {@code before-agent-start}
	 * @param name the plugin's name for the hook
	 */
	public record HookView(String point, String name) {

		static HookView of(HookDef hook) {
			return new HookView(hook.point().witName(), hook.name());
		}

	}

}
