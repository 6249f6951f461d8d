package io.github.grain.plugin.engine.wit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import io.github.grain.plugin.engine.abi.WitType;
import io.github.grain.plugin.engine.module.FunctionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Core signatures and names of the grain functions, pinned to CONTRACT.md §3.
 */
class WitFunctionTests {

	private static FunctionType i32(int params, int results) {
		return FunctionType.i32(params, results);
	}

	/**
	 * Every function with the signature a guest imports it by (host functions: the
	 * contract's table) and exports it by (plugin functions: the contract's table).
	 */
	static Stream<Arguments> signatures() {
		return Stream.of(
				// host imports: results past one flat value go to a trailing retptr
				arguments(GrainWorld.LOG, i32(3, 0), i32(3, 0)),
				arguments(GrainWorld.ENV_GET, i32(3, 0), i32(2, 1)),
				arguments(GrainWorld.HTTP_GET, i32(5, 0), i32(4, 1)),
				arguments(GrainWorld.HTTP_POST, i32(7, 0), i32(6, 1)),
				// exports: results past one flat value come back as a return-area pointer
				arguments(GrainWorld.INIT, i32(1, 0), i32(0, 1)),
				arguments(GrainWorld.LIST_TOOLS, i32(1, 0), i32(0, 1)),
				arguments(GrainWorld.CALL_TOOL, i32(5, 0), i32(4, 1)),
				arguments(GrainWorld.LIST_ROLES, i32(1, 0), i32(0, 1)),
				arguments(GrainWorld.LIST_HOOKS, i32(1, 0), i32(0, 1)),
				arguments(GrainWorld.CALL_HOOK, i32(4, 0), i32(3, 1)));
	}

	@ParameterizedTest(name = "{0}: import {1}, export {2}")
	@MethodSource("signatures")
	void coreSignaturesMatchTheContract(WitFunction function, FunctionType importType, FunctionType exportType) {
		assertThat(function.importType()).as("import type").isEqualTo(importType);
		assertThat(function.exportType()).as("export type").isEqualTo(exportType);
		assertThat(function.paramsInMemory()).isFalse();
	}

	static Stream<Arguments> postReturns() {
		return Stream.of(GrainWorld.INIT, GrainWorld.LIST_TOOLS, GrainWorld.CALL_TOOL, GrainWorld.LIST_ROLES,
				GrainWorld.LIST_HOOKS, GrainWorld.CALL_HOOK)
			.map(Arguments::of);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("postReturns")
	void everyExportReturnsThroughMemoryWithAPostReturnTakingTheArea(WitFunction function) {
		assertThat(function.resultInMemory()).isTrue();
		assertThat(function.postReturnType()).isEqualTo(i32(1, 0));
		assertThat(function.postReturnType()).hasToString("(i32) -> ()");
	}

	static Stream<Arguments> flatCounts() {
		return Stream.of(
				arguments(GrainWorld.LOG, 3, 0),
				arguments(GrainWorld.ENV_GET, 2, 3),
				arguments(GrainWorld.HTTP_GET, 4, 6),
				arguments(GrainWorld.HTTP_POST, 6, 6),
				arguments(GrainWorld.INIT, 0, 5),
				arguments(GrainWorld.LIST_TOOLS, 0, 2),
				arguments(GrainWorld.CALL_TOOL, 4, 3),
				arguments(GrainWorld.LIST_ROLES, 0, 2),
				arguments(GrainWorld.LIST_HOOKS, 0, 2),
				arguments(GrainWorld.CALL_HOOK, 3, 3));
	}

	@ParameterizedTest(name = "{0}: {1} flat params, {2} flat results")
	@MethodSource("flatCounts")
	void flattensParametersAndResults(WitFunction function, int params, int results) {
		assertThat(function.flatParams()).hasSize(params);
		assertThat(function.flatResults()).hasSize(results);
	}

	@Test
	void moreThanSixteenFlatParametersArePassedThroughMemory() {
		List<WitType.Field> params = new ArrayList<>();
		for (int i = 0; i < 9; i++) {
			params.add(WitType.field("p" + i, WitType.string()));
		}
		WitFunction function = new WitFunction("x:y/z", "many", params, WitType.string());
		assertThat(function.flatParams()).hasSize(18);
		assertThat(function.paramsInMemory()).isTrue();
		assertThat(function.exportType()).isEqualTo(i32(1, 1));
		assertThat(function.importType()).isEqualTo(i32(2, 0));
	}

	@Test
	void exactlySixteenFlatParametersStayFlat() {
		List<WitType.Field> params = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			params.add(WitType.field("p" + i, WitType.string()));
		}
		WitFunction function = new WitFunction("x:y/z", "sixteen", params, null);
		assertThat(function.paramsInMemory()).isFalse();
		assertThat(function.exportType()).isEqualTo(i32(16, 0));
		assertThat(function.importType()).isEqualTo(i32(16, 0));
	}

	@Test
	void singleFlatResultIsReturnedDirectly() {
		WitFunction function = new WitFunction("x:y/z", "count", List.of(), WitType.u32());
		assertThat(function.resultInMemory()).isFalse();
		assertThat(function.exportType()).isEqualTo(i32(0, 1));
		assertThat(function.importType()).isEqualTo(i32(0, 1));
		assertThat(function.postReturnType()).isEqualTo(i32(1, 0));
	}

	@Test
	void noResultMeansNoPostReturnParameter() {
		assertThat(GrainWorld.LOG.postReturnType()).isEqualTo(i32(0, 0));
	}

	@Test
	void paramsAreCopied() {
		List<WitType.Field> params = new ArrayList<>(List.of(WitType.field("a", WitType.u8())));
		WitFunction function = new WitFunction("x:y/z", "f", params, null);
		params.clear();
		assertThat(function.params()).hasSize(1);
	}

	@Test
	void worldsListTheirFunctionsInWitOrder() {
		assertThat(GrainWorld.HOST_IMPORTS).extracting(WitFunction::name)
			.containsExactly("log", "env-get", "http-get", "http-post");
		assertThat(GrainWorld.requiredExports(WorldKind.V1)).extracting(WitFunction::name)
			.containsExactly("init", "list-tools", "call-tool");
		assertThat(GrainWorld.requiredExports(WorldKind.V2)).extracting(WitFunction::name)
			.containsExactly("init", "list-tools", "call-tool", "list-roles", "list-hooks", "call-hook");
		assertThat(GrainWorld.HOST_IMPORTS).extracting(WitFunction::interfaceName).containsOnly("grain:plugin/host");
		assertThat(GrainWorld.ORCHESTRATION_EXPORTS).extracting(WitFunction::interfaceName)
			.containsOnly("grain:plugin/orchestration");
	}

	// ---- names ---------------------------------------------------------------

	static Stream<Arguments> names() {
		return Stream.of(
				name("import module", (m) -> m.importModule(GrainWorld.HOST), "grain:plugin/host",
						"cm32p2|grain:plugin/host"),
				name("export init", (m) -> m.export(GrainWorld.INIT), "grain:plugin/plugin#init",
						"cm32p2|grain:plugin/plugin|init"),
				name("post-return init", (m) -> m.postReturn(GrainWorld.INIT), "cabi_post_grain:plugin/plugin#init",
						"cm32p2|grain:plugin/plugin|init_post"),
				name("export list-tools", (m) -> m.export(GrainWorld.LIST_TOOLS), "grain:plugin/plugin#list-tools",
						"cm32p2|grain:plugin/plugin|list-tools"),
				name("export call-tool", (m) -> m.export(GrainWorld.CALL_TOOL), "grain:plugin/plugin#call-tool",
						"cm32p2|grain:plugin/plugin|call-tool"),
				name("post-return call-tool", (m) -> m.postReturn(GrainWorld.CALL_TOOL),
						"cabi_post_grain:plugin/plugin#call-tool", "cm32p2|grain:plugin/plugin|call-tool_post"),
				name("export call-hook", (m) -> m.export(GrainWorld.CALL_HOOK), "grain:plugin/orchestration#call-hook",
						"cm32p2|grain:plugin/orchestration|call-hook"),
				name("post-return list-roles", (m) -> m.postReturn(GrainWorld.LIST_ROLES),
						"cabi_post_grain:plugin/orchestration#list-roles",
						"cm32p2|grain:plugin/orchestration|list-roles_post"),
				name("realloc", Mangling::realloc, "cabi_realloc", "cm32p2_realloc"),
				name("memory", Mangling::memory, "memory", "cm32p2_memory"),
				name("reactor init", Mangling::initialize, "_initialize", "cm32p2_initialize"));
	}

	private static Arguments name(String item, Function<Mangling, String> name, String legacy, String standard) {
		return arguments(item, name, legacy, standard);
	}

	@ParameterizedTest(name = "{0}: {2} | {3}")
	@MethodSource("names")
	void bothManglingsProduceTheContractNames(String item, Function<Mangling, String> name, String legacy,
			String standard) {
		assertThat(name.apply(Mangling.LEGACY)).isEqualTo(legacy);
		assertThat(name.apply(Mangling.STANDARD)).isEqualTo(standard);
	}

	@ParameterizedTest
	@MethodSource("hostImportFields")
	void importFieldNamesAreTheWitNamesInBothManglings(WitFunction function, String field) {
		assertThat(function.name()).isEqualTo(field);
		assertThat(function.interfaceName()).isEqualTo(GrainWorld.HOST);
	}

	static Stream<Arguments> hostImportFields() {
		return Stream.of(arguments(GrainWorld.LOG, "log"), arguments(GrainWorld.ENV_GET, "env-get"),
				arguments(GrainWorld.HTTP_GET, "http-get"), arguments(GrainWorld.HTTP_POST, "http-post"));
	}

}
