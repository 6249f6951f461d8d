package io.github.grain.plugin.engine.wit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.module.ExternKind;
import io.github.grain.plugin.engine.module.FunctionType;
import io.github.grain.plugin.engine.module.ModuleInfo;
import org.jspecify.annotations.Nullable;

/**
 * A module's exports resolved against a grain world and type-checked once, at load:
 * each WIT function bound to its core export and post-return, plus the memory,
 * {@code realloc} and reactor initialiser. Either mangling is accepted for each name.
 * @param world the detected world
 * @param exports the bound functions
 * @param memory the memory export's name
 * @param realloc the realloc export's name
 * @param initialize the reactor initialiser's name, {@code null} when the module has none
 */
public record WorldBinding(WorldKind world, Map<WitFunction, BoundExport> exports, String memory, String realloc,
		@Nullable String initialize) {

	private static final FunctionType REALLOC_TYPE = FunctionType.i32(4, 1);

	private static final FunctionType INITIALIZE_TYPE = FunctionType.i32(0, 0);

	public WorldBinding {
		exports = Map.copyOf(exports);
	}

	/** The bound export for a function of the world. */
	public BoundExport export(WitFunction function) {
		BoundExport bound = this.exports.get(function);
		if (bound == null) {
			throw new IllegalArgumentException(function + " is not part of the " + this.world + " world");
		}
		return bound;
	}

	/**
	 * An export bound to its core names.
	 * @param function the WIT function
	 * @param coreName the core export to call
	 * @param postReturn the post-return export, {@code null} when absent
	 */
	public record BoundExport(WitFunction function, String coreName, @Nullable String postReturn) {
	}

	/**
	 * Resolve and type-check a core module's exports.
	 * @param plugin the plugin name, quoted in errors
	 * @param module what the module exports
	 * @return the binding
	 * @throws InvalidPluginException naming every missing or mistyped export
	 */
	public static WorldBinding resolve(String plugin, ModuleInfo module) {
		List<String> problems = new ArrayList<>();
		boolean anyOrchestration = GrainWorld.ORCHESTRATION_EXPORTS.stream()
			.anyMatch((f) -> find(module, f).isPresent());
		WorldKind world = anyOrchestration ? WorldKind.V2 : WorldKind.V1;
		Map<WitFunction, BoundExport> bound = new LinkedHashMap<>();
		for (WitFunction function : GrainWorld.requiredExports(world)) {
			Optional<ModuleInfo.Export> export = find(module, function);
			if (export.isEmpty()) {
				problems.add("missing export '" + Mangling.LEGACY.export(function) + "' (or '"
						+ Mangling.STANDARD.export(function) + "')");
				continue;
			}
			checkType(export.get(), function.exportType(), problems);
			String postReturn = null;
			for (Mangling mangling : Mangling.values()) {
				Optional<ModuleInfo.Export> post = module.functionExport(mangling.postReturn(function));
				if (post.isPresent()) {
					checkType(post.get(), function.postReturnType(), problems);
					postReturn = post.get().name();
					break;
				}
			}
			bound.put(function, new BoundExport(function, export.get().name(), postReturn));
		}
		String memory = firstPresent(module, ExternKind.MEMORY, Mangling.LEGACY.memory(), Mangling.STANDARD.memory());
		if (memory == null) {
			problems.add("missing memory export 'memory' (or 'cm32p2_memory')");
		}
		String realloc = firstPresent(module, ExternKind.FUNC, Mangling.LEGACY.realloc(), Mangling.STANDARD.realloc());
		if (realloc == null) {
			problems.add("missing export 'cabi_realloc' (or 'cm32p2_realloc')");
		}
		else {
			checkType(module.export(realloc).orElseThrow(), REALLOC_TYPE, problems);
		}
		String initialize = firstPresent(module, ExternKind.FUNC, Mangling.LEGACY.initialize(),
				Mangling.STANDARD.initialize());
		if (initialize != null) {
			checkType(module.export(initialize).orElseThrow(), INITIALIZE_TYPE, problems);
		}
		if (module.export("_start").isPresent()) {
			problems.add("exports '_start': a plugin must be a reactor module, not a command");
		}
		if (!problems.isEmpty()) {
			throw new InvalidPluginException("plugin '" + plugin + "' does not implement the grain-plugin"
					+ ((world == WorldKind.V2) ? "-v2" : "") + " world: " + String.join("; ", problems));
		}
		return new WorldBinding(world, bound, memory, realloc, initialize);
	}

	private static Optional<ModuleInfo.Export> find(ModuleInfo module, WitFunction function) {
		for (Mangling mangling : Mangling.values()) {
			Optional<ModuleInfo.Export> export = module.functionExport(mangling.export(function));
			if (export.isPresent()) {
				return export;
			}
		}
		return Optional.empty();
	}

	private static @Nullable String firstPresent(ModuleInfo module, ExternKind kind, String... names) {
		for (String name : names) {
			Optional<ModuleInfo.Export> export = module.export(name);
			if (export.isPresent() && export.get().kind() == kind) {
				return name;
			}
		}
		return null;
	}

	private static void checkType(ModuleInfo.Export export, FunctionType expected, List<String> problems) {
		if (!expected.equals(export.functionType())) {
			problems.add("export '" + export.name() + "' has type " + export.functionType() + ", expected " + expected);
		}
	}

}
