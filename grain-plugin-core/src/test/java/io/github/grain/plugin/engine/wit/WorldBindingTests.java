package io.github.grain.plugin.engine.wit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.module.ExternKind;
import io.github.grain.plugin.engine.module.FunctionType;
import io.github.grain.plugin.engine.module.ModuleInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link WorldBinding#resolve} over {@link ModuleInfo}s built in the test: both
 * manglings, mixed, v1/v2 detection, and the message for every missing or mistyped
 * export.
 */
class WorldBindingTests {

	private static final FunctionType REALLOC = FunctionType.i32(4, 1);

	/** A module's exports, built up in a test. */
	private static final class Exports {

		private final List<ModuleInfo.Export> exports = new ArrayList<>();

		Exports function(String name, FunctionType type) {
			this.exports.add(new ModuleInfo.Export(name, ExternKind.FUNC, this.exports.size(), type));
			return this;
		}

		Exports memory(String name) {
			this.exports.add(new ModuleInfo.Export(name, ExternKind.MEMORY, 0, null));
			return this;
		}

		Exports witFunction(WitFunction function, Mangling mangling) {
			function(mangling.export(function), function.exportType());
			return function(mangling.postReturn(function), function.postReturnType());
		}

		Exports plugin(Mangling mangling) {
			GrainWorld.PLUGIN_EXPORTS.forEach((f) -> witFunction(f, mangling));
			return this;
		}

		Exports orchestration(Mangling mangling) {
			GrainWorld.ORCHESTRATION_EXPORTS.forEach((f) -> witFunction(f, mangling));
			return this;
		}

		Exports runtime(Mangling mangling) {
			memory(mangling.memory());
			function(mangling.realloc(), REALLOC);
			return function(mangling.initialize(), FunctionType.i32(0, 0));
		}

		Exports without(String name) {
			this.exports.removeIf((e) -> e.name().equals(name));
			return this;
		}

		Exports replace(String name, FunctionType type) {
			return without(name).function(name, type);
		}

		ModuleInfo module() {
			return new ModuleInfo(List.of(), this.exports, List.of(), -1);
		}

	}

	private static Exports v1(Mangling mangling) {
		return new Exports().plugin(mangling).runtime(mangling);
	}

	private static Exports v2(Mangling mangling) {
		return v1(mangling).orchestration(mangling);
	}

	private static WorldBinding resolve(Exports exports) {
		return WorldBinding.resolve("demo", exports.module());
	}

	private static void assertBoundWith(WorldBinding binding, Mangling mangling) {
		for (WitFunction function : GrainWorld.requiredExports(binding.world())) {
			WorldBinding.BoundExport bound = binding.export(function);
			assertThat(bound.function()).isEqualTo(function);
			assertThat(bound.coreName()).isEqualTo(mangling.export(function));
			assertThat(bound.postReturn()).isEqualTo(mangling.postReturn(function));
		}
		assertThat(binding.memory()).isEqualTo(mangling.memory());
		assertThat(binding.realloc()).isEqualTo(mangling.realloc());
		assertThat(binding.initialize()).isEqualTo(mangling.initialize());
	}

	@ParameterizedTest
	@EnumSource(Mangling.class)
	void v1ModuleResolvesInEitherMangling(Mangling mangling) {
		WorldBinding binding = resolve(v1(mangling));
		assertThat(binding.world()).isEqualTo(WorldKind.V1);
		assertThat(binding.exports()).containsOnlyKeys(GrainWorld.PLUGIN_EXPORTS);
		assertBoundWith(binding, mangling);
	}

	@ParameterizedTest
	@EnumSource(Mangling.class)
	void v2ModuleIsDetectedFromItsOrchestrationExports(Mangling mangling) {
		WorldBinding binding = resolve(v2(mangling));
		assertThat(binding.world()).isEqualTo(WorldKind.V2);
		assertThat(binding.exports()).hasSize(6);
		assertBoundWith(binding, mangling);
	}

	@Test
	void legacyNamesAreTheOnesWitBindgenEmits() {
		ModuleInfo module = new Exports().function("grain:plugin/plugin#init", FunctionType.i32(0, 1))
			.function("cabi_post_grain:plugin/plugin#init", FunctionType.i32(1, 0))
			.function("grain:plugin/plugin#list-tools", FunctionType.i32(0, 1))
			.function("cabi_post_grain:plugin/plugin#list-tools", FunctionType.i32(1, 0))
			.function("grain:plugin/plugin#call-tool", FunctionType.i32(4, 1))
			.function("cabi_post_grain:plugin/plugin#call-tool", FunctionType.i32(1, 0))
			.memory("memory")
			.function("cabi_realloc", FunctionType.i32(4, 1))
			.module();
		WorldBinding binding = WorldBinding.resolve("demo", module);
		assertThat(binding.export(GrainWorld.CALL_TOOL).coreName()).isEqualTo("grain:plugin/plugin#call-tool");
		assertThat(binding.export(GrainWorld.CALL_TOOL).postReturn())
			.isEqualTo("cabi_post_grain:plugin/plugin#call-tool");
	}

	@Test
	void standardNamesAreTheCm32p2Ones() {
		ModuleInfo module = new Exports().function("cm32p2|grain:plugin/plugin|init", FunctionType.i32(0, 1))
			.function("cm32p2|grain:plugin/plugin|init_post", FunctionType.i32(1, 0))
			.function("cm32p2|grain:plugin/plugin|list-tools", FunctionType.i32(0, 1))
			.function("cm32p2|grain:plugin/plugin|call-tool", FunctionType.i32(4, 1))
			.memory("cm32p2_memory")
			.function("cm32p2_realloc", FunctionType.i32(4, 1))
			.function("cm32p2_initialize", FunctionType.i32(0, 0))
			.module();
		WorldBinding binding = WorldBinding.resolve("demo", module);
		assertThat(binding.export(GrainWorld.INIT).postReturn()).isEqualTo("cm32p2|grain:plugin/plugin|init_post");
		assertThat(binding.memory()).isEqualTo("cm32p2_memory");
		assertThat(binding.initialize()).isEqualTo("cm32p2_initialize");
	}

	@Test
	void manglingsMayBeMixedNameByName() {
		Exports exports = new Exports().witFunction(GrainWorld.INIT, Mangling.LEGACY)
			.witFunction(GrainWorld.LIST_TOOLS, Mangling.STANDARD)
			.function(Mangling.LEGACY.export(GrainWorld.CALL_TOOL), GrainWorld.CALL_TOOL.exportType())
			.function(Mangling.STANDARD.postReturn(GrainWorld.CALL_TOOL), FunctionType.i32(1, 0))
			.witFunction(GrainWorld.LIST_ROLES, Mangling.STANDARD)
			.witFunction(GrainWorld.LIST_HOOKS, Mangling.LEGACY)
			.witFunction(GrainWorld.CALL_HOOK, Mangling.STANDARD)
			.memory("cm32p2_memory")
			.function("cabi_realloc", REALLOC);
		WorldBinding binding = resolve(exports);
		assertThat(binding.world()).isEqualTo(WorldKind.V2);
		assertThat(binding.export(GrainWorld.INIT).coreName()).isEqualTo("grain:plugin/plugin#init");
		assertThat(binding.export(GrainWorld.LIST_TOOLS).coreName()).isEqualTo("cm32p2|grain:plugin/plugin|list-tools");
		assertThat(binding.export(GrainWorld.CALL_TOOL).coreName()).isEqualTo("grain:plugin/plugin#call-tool");
		assertThat(binding.export(GrainWorld.CALL_TOOL).postReturn())
			.isEqualTo("cm32p2|grain:plugin/plugin|call-tool_post");
		assertThat(binding.export(GrainWorld.LIST_HOOKS).coreName())
			.isEqualTo("grain:plugin/orchestration#list-hooks");
		assertThat(binding.memory()).isEqualTo("cm32p2_memory");
		assertThat(binding.realloc()).isEqualTo("cabi_realloc");
		assertThat(binding.initialize()).isNull();
	}

	@Test
	void legacyNameWinsWhenAModuleExportsBoth() {
		WorldBinding binding = resolve(v1(Mangling.STANDARD).plugin(Mangling.LEGACY));
		assertThat(binding.export(GrainWorld.INIT).coreName()).isEqualTo("grain:plugin/plugin#init");
	}

	@Test
	void initializeIsOptional() {
		WorldBinding binding = resolve(v1(Mangling.LEGACY).without("_initialize"));
		assertThat(binding.initialize()).isNull();
	}

	@Test
	void postReturnIsOptional() {
		WorldBinding binding = resolve(v1(Mangling.LEGACY).without("cabi_post_grain:plugin/plugin#init"));
		assertThat(binding.export(GrainWorld.INIT).postReturn()).isNull();
		assertThat(binding.export(GrainWorld.CALL_TOOL).postReturn()).isEqualTo("cabi_post_grain:plugin/plugin#call-tool");
	}

	@Test
	void functionOutsideTheWorldIsRejected() {
		WorldBinding binding = resolve(v1(Mangling.LEGACY));
		assertThatIllegalArgumentException().isThrownBy(() -> binding.export(GrainWorld.CALL_HOOK))
			.withMessage("grain:plugin/orchestration#call-hook is not part of the V1 world");
	}

	// ---- what is wrong, precisely ------------------------------------------------

	private static Arguments problem(String name, UnaryOperator<Exports> change, String message) {
		return arguments(name, change, message);
	}

	private static final String V1 = "plugin 'demo' does not implement the grain-plugin world: ";

	private static final String V2 = "plugin 'demo' does not implement the grain-plugin-v2 world: ";

	static Stream<Arguments> problems() {
		return Stream.of(
				problem("missing init", (e) -> e.without("grain:plugin/plugin#init"),
						V1 + "missing export 'grain:plugin/plugin#init' (or 'cm32p2|grain:plugin/plugin|init')"),
				problem("missing list-tools", (e) -> e.without("grain:plugin/plugin#list-tools"),
						V1 + "missing export 'grain:plugin/plugin#list-tools' (or"
								+ " 'cm32p2|grain:plugin/plugin|list-tools')"),
				problem("call-tool exported as a memory",
						(e) -> e.without("grain:plugin/plugin#call-tool").memory("grain:plugin/plugin#call-tool"),
						V1 + "missing export 'grain:plugin/plugin#call-tool' (or"
								+ " 'cm32p2|grain:plugin/plugin|call-tool')"),
				problem("call-tool with the wrong type",
						(e) -> e.replace("grain:plugin/plugin#call-tool", FunctionType.i32(2, 1)),
						V1 + "export 'grain:plugin/plugin#call-tool' has type (i32, i32) -> (i32), expected"
								+ " (i32, i32, i32, i32) -> (i32)"),
				problem("init returning nothing", (e) -> e.replace("grain:plugin/plugin#init", FunctionType.i32(0, 0)),
						V1 + "export 'grain:plugin/plugin#init' has type () -> (), expected () -> (i32)"),
				problem("post-return with the wrong type",
						(e) -> e.replace("cabi_post_grain:plugin/plugin#list-tools", FunctionType.i32(1, 1)),
						V1 + "export 'cabi_post_grain:plugin/plugin#list-tools' has type (i32) -> (i32), expected"
								+ " (i32) -> ()"),
				problem("missing memory", (e) -> e.without("memory"),
						V1 + "missing memory export 'memory' (or 'cm32p2_memory')"),
				problem("memory exported as a function", (e) -> e.without("memory").function("memory",
						FunctionType.i32(0, 0)), V1 + "missing memory export 'memory' (or 'cm32p2_memory')"),
				problem("missing realloc", (e) -> e.without("cabi_realloc"),
						V1 + "missing export 'cabi_realloc' (or 'cm32p2_realloc')"),
				problem("realloc with the wrong type", (e) -> e.replace("cabi_realloc", FunctionType.i32(3, 1)),
						V1 + "export 'cabi_realloc' has type (i32, i32, i32) -> (i32), expected"
								+ " (i32, i32, i32, i32) -> (i32)"),
				problem("initialize with the wrong type", (e) -> e.replace("_initialize", FunctionType.i32(0, 1)),
						V1 + "export '_initialize' has type () -> (i32), expected () -> ()"),
				problem("one orchestration export makes it v2",
						(e) -> e.witFunction(GrainWorld.CALL_HOOK, Mangling.STANDARD),
						V2 + "missing export 'grain:plugin/orchestration#list-roles' (or"
								+ " 'cm32p2|grain:plugin/orchestration|list-roles'); missing export"
								+ " 'grain:plugin/orchestration#list-hooks' (or"
								+ " 'cm32p2|grain:plugin/orchestration|list-hooks')"),
				problem("every problem at once", (e) -> new Exports().function("cabi_realloc", FunctionType.i32(0, 0)),
						V1 + "missing export 'grain:plugin/plugin#init' (or 'cm32p2|grain:plugin/plugin|init');"
								+ " missing export 'grain:plugin/plugin#list-tools' (or"
								+ " 'cm32p2|grain:plugin/plugin|list-tools'); missing export"
								+ " 'grain:plugin/plugin#call-tool' (or 'cm32p2|grain:plugin/plugin|call-tool');"
								+ " missing memory export 'memory' (or 'cm32p2_memory'); export 'cabi_realloc' has"
								+ " type () -> (), expected (i32, i32, i32, i32) -> (i32)"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("problems")
	void invalidModuleIsRejectedNamingTheProblem(String name, UnaryOperator<Exports> change, String message) {
		Exports exports = change.apply(v1(Mangling.LEGACY));
		assertThatExceptionOfType(InvalidPluginException.class).isThrownBy(() -> resolve(exports))
			.withMessage(message);
	}

	@Test
	void v2ModuleWithAMistypedHookExportNamesBothTypes() {
		Exports exports = v2(Mangling.STANDARD).replace("cm32p2|grain:plugin/orchestration|call-hook",
				FunctionType.i32(2, 1));
		assertThatExceptionOfType(InvalidPluginException.class).isThrownBy(() -> resolve(exports))
			.withMessage(V2 + "export 'cm32p2|grain:plugin/orchestration|call-hook' has type (i32, i32) -> (i32),"
					+ " expected (i32, i32, i32) -> (i32)");
	}

}
