package io.github.grain.plugin.engine.component;

import static io.github.grain.plugin.engine.component.ComponentBytes.COMPONENT_HEADER;
import static io.github.grain.plugin.engine.component.ComponentBytes.CORE_FUNC;
import static io.github.grain.plugin.engine.component.ComponentBytes.CORE_INSTANCE;
import static io.github.grain.plugin.engine.component.ComponentBytes.CORE_MEMORY;
import static io.github.grain.plugin.engine.component.ComponentBytes.CORE_MODULE;
import static io.github.grain.plugin.engine.component.ComponentBytes.FUNC;
import static io.github.grain.plugin.engine.component.ComponentBytes.aliasCoreExport;
import static io.github.grain.plugin.engine.component.ComponentBytes.aliasExport;
import static io.github.grain.plugin.engine.component.ComponentBytes.async;
import static io.github.grain.plugin.engine.component.ComponentBytes.canonLift;
import static io.github.grain.plugin.engine.component.ComponentBytes.coreExports;
import static io.github.grain.plugin.engine.component.ComponentBytes.coreModule;
import static io.github.grain.plugin.engine.component.ComponentBytes.export;
import static io.github.grain.plugin.engine.component.ComponentBytes.funcType;
import static io.github.grain.plugin.engine.component.ComponentBytes.instanceExports;
import static io.github.grain.plugin.engine.component.ComponentBytes.instantiate;
import static io.github.grain.plugin.engine.component.ComponentBytes.memory;
import static io.github.grain.plugin.engine.component.ComponentBytes.postReturn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.stream.Stream;

import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.MalformedBinaryException;
import io.github.grain.plugin.engine.component.ComponentBytes.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every definition form the reader accepts, once each in one component, and each form's
 * malformed variants refused with a message naming what was found.
 */
class ComponentReaderFormsTests {

	private static final byte[] MAIN = coreModule("main");

	/** Core funcs 0 (init) and 1 (post-return), core memory 0, type 0, func 0 (the lift) and 1 (its export). */
	private static ComponentBytes minimal() {
		return ComponentBytes.component()
			.types(funcType())
			.coreModuleSection(MAIN)
			.coreInstances(instantiate(0))
			.aliases(aliasCoreExport(CORE_FUNC, 0, "grain:plugin/plugin#init"), aliasCoreExport(CORE_MEMORY, 0, "memory"),
					aliasCoreExport(CORE_FUNC, 0, "cabi_post_grain:plugin/plugin#init"))
			.canons(canonLift(0, 0, memory(0), postReturn(1)))
			.exports(export("init", FUNC, 0));
	}

	private static Entry exportOf(String name, int[] sort, int index) {
		return new Entry().u8(0x00).name(name).u8(sort).u32(index).u8(0x00);
	}

	@Test
	void readsEveryDefinitionFormAndCountsWhatEachOneDefines() {
		byte[] bytes = minimal().instances(instanceExports("init", FUNC, 0))
			.aliases(aliasCoreExport(CORE_MODULE, 0, "m"), // core module 1
					aliasCoreExport(CORE_INSTANCE, 0, "i"), // core instance 1
					aliasExport(CORE_INSTANCE, 0, "ci"), // core instance 2
					new Entry().u8(0x03).u8(0x02).u32(0).u32(0)) // outer alias: type 1
			.section(4, COMPONENT_HEADER) // component 0
			.section(12, new Entry().u32(1).u8(0x00).toArray()) // value 0
			.section(9, new Entry().u32(0).u32(1).u32(0).u32(1).toArray()) // start func 0 (value 0): value 1
			.imports(new Entry().u8(0x00).name("v0").u8(0x02).u8(0x00).u32(1), // (eq value 1): value 2
					new Entry().u8(0x00).name("v1").u8(0x02).u8(0x01).u8(0x7f), // (value bool): value 3
					new Entry().u8(0x00).name("t0").u8(0x03).u8(0x00).u32(1), // (eq type 1): type 2
					new Entry().u8(0x01).name("t1").u8(0x03).u8(0x01)) // (sub resource): type 3
			// core funcs 2 to 9; the value types at the edges of the primitive codes, and a type index
			.canons(new Entry().u8(0x09).u8(0x00).u8(0x7f).u32(0), new Entry().u8(0x09).u8(0x00).u8(0x73).u32(0),
					new Entry().u8(0x09).u8(0x00).u8(0x64).u32(0), new Entry().u8(0x09).u8(0x00).u8(0x00).u32(0),
					new Entry().u8(0x09).u8(0x01).u8(0x00).u32(0), new Entry().u8(0x0c).u8(0x01),
					new Entry().u8(0x11).u32(0).u8(0x01), new Entry().u8(0x20).u8(0x00).u32(0))
			// each re-export is a new index, used by the next one
			.exports(exportOf("cf", CORE_FUNC, 9), exportOf("cf2", CORE_FUNC, 10), exportOf("cm", CORE_MODULE, 1),
					exportOf("cm2", CORE_MODULE, 2), exportOf("ci", CORE_INSTANCE, 2),
					exportOf("ci2", CORE_INSTANCE, 3), exportOf("v", new int[] { 0x02 }, 3),
					exportOf("t", new int[] { 0x03 }, 3), exportOf("c", new int[] { 0x04 }, 0))
			.toBytes();

		ComponentModel model = ComponentReader.read(bytes, "forms.wasm");

		assertThat(model.mainModule()).isEqualTo(MAIN);
		assertThat(model.importNames()).containsExactly("v0", "v1", "t0", "t1");
		assertThat(model.exportNames()).containsExactly("init", "cf", "cf2", "cm", "cm2", "ci", "ci2", "v", "t", "c");
		assertThat(model.imports()).extracting(ComponentExtern::sort)
			.containsExactly(ComponentSort.VALUE, ComponentSort.VALUE, ComponentSort.TYPE, ComponentSort.TYPE);
	}

	@Test
	void followsReExportedModulesInstancesAndFuncsToTheMainModule() {
		byte[] bytes = ComponentBytes.component()
			.types(funcType())
			.coreModuleSection(MAIN)
			.exports(exportOf("m", CORE_MODULE, 0)) // core module 1
			.coreInstances(instantiate(1))
			.exports(exportOf("i", CORE_INSTANCE, 0)) // core instance 1
			.aliases(aliasCoreExport(CORE_FUNC, 1, "grain:plugin/plugin#init"))
			.exports(exportOf("f", CORE_FUNC, 0)) // core func 1
			.canons(canonLift(1, 0), new Entry().u8(0x29).u8(0x01))
			.toBytes();

		ComponentModel model = ComponentReader.read(bytes, "reexports.wasm");

		assertThat(model.mainModule()).isEqualTo(MAIN);
		assertThat(model.lifts()).extracting(CanonicalLift::coreExport).containsExactly("grain:plugin/plugin#init");
	}

	@Test
	void theValueIndexSpaceHoldsUpToTwoToTheThirtyTwoMinusOneEntries() {
		ComponentBytes component = minimal().section(9, new Entry().u32(0).u32(0).u32(0xFFFF_FFFFL).toArray());
		ComponentReader.read(component.toBytes(), "full.wasm");

		byte[] bytes = component.section(12, new Entry().u32(1).u8(0x00).toArray()).toBytes();

		assertThatExceptionOfType(MalformedBinaryException.class).isThrownBy(() -> ComponentReader.read(bytes, "x"))
			.withMessageContaining("the value index space exceeds 2^32 entries");
	}

	@Test
	void equalComponentsReadEqualAndTellTheirSourceAndMainModule() {
		byte[] bytes = minimal().toBytes();
		ComponentModel model = ComponentReader.read(bytes, "a.wasm");

		assertThat(model).isEqualTo(ComponentReader.read(bytes.clone(), "a.wasm"))
			.hasSameHashCodeAs(ComponentReader.read(bytes.clone(), "a.wasm"))
			.isNotEqualTo(ComponentReader.read(bytes, "b.wasm"))
			.isNotEqualTo(ComponentReader.read(minimal().imports(new Entry().u8(0x00).name("t").u8(0x03).u8(0x01)).toBytes(),
					"a.wasm"));
		assertThat(model.hashCode())
			.isNotEqualTo(ComponentReader.read(ComponentBytes.component()
				.types(funcType())
				.coreModuleSection(coreModule("other"))
				.coreInstances(instantiate(0))
				.aliases(aliasCoreExport(CORE_FUNC, 0, "run"))
				.canons(canonLift(0, 0))
				.toBytes(), "a.wasm").hashCode());
		assertThat(model.toString()).startsWith("ComponentModel[source=a.wasm, mainModule=" + MAIN.length
				+ " bytes at offset " + model.mainModuleOffset() + ", mainModuleIndex=0, coreModuleCount=1");
		assertThat(ComponentSort.CORE_FUNC).hasToString("core func");
		assertThat(StringEncoding.UTF8.toString()).isNotBlank().isNotEqualTo(StringEncoding.UTF16.toString());
	}

	static Stream<Arguments> malformedForms() {
		return Stream.of(
				Arguments.of("instantiation argument of another kind",
						ComponentBytes.component()
							.coreModuleSection(MAIN)
							.coreInstances(new Entry().u8(0x00).u32(0).u32(1).name("a").u8(0x11).u32(0)),
						"instantiation argument kind 0x11, expected 0x12 (core instance)"),
				Arguments.of("inline export of a module",
						ComponentBytes.component()
							.coreModuleSection(MAIN)
							.coreInstances(new Entry().u8(0x01).u32(1).name("m").u8(0x11).u32(0)),
						"core instance export 'm' of sort core module, expected func, table, memory, global or tag"),
				Arguments.of("inline export twice",
						ComponentBytes.component()
							.coreModuleSection(MAIN)
							.coreInstances(instantiate(0))
							.aliases(aliasCoreExport(CORE_FUNC, 0, "run"))
							.coreInstances(coreExports("f", CORE_FUNC, 0, "f", CORE_FUNC, 0)),
						"core instance exports 'f' twice"),
				Arguments.of("nested component without its header",
						ComponentBytes.component().section(4, ComponentBytes.CORE_HEADER),
						"nested component 0 does not start with the component header"),
				Arguments.of("core export alias of a component sort",
						ComponentBytes.component()
							.coreModuleSection(MAIN)
							.coreInstances(instantiate(0))
							.aliases(aliasCoreExport(FUNC, 0, "run")),
						"core export alias of sort func, expected a core sort"),
				Arguments.of("outer alias of a core func",
						minimal().aliases(new Entry().u8(0x00, 0x00).u8(0x02).u32(0).u32(0)),
						"outer alias of sort core func, expected type, core type, core module or component"),
				Arguments.of("context slot of type f32",
						minimal().canons(new Entry().u8(0x0a).u8(0x7d).u32(0)),
						"context slot type 0x7d, expected i32 (0x7f) or i64 (0x7e)"),
				Arguments.of("flag byte 2", minimal().canons(new Entry().u8(0x06).u8(0x02)),
						"async flag 0x2, expected 0x00 or 0x01"),
				Arguments.of("named results", minimal().canons(new Entry().u8(0x09).u8(0x01).u8(0x05).u32(0)),
						"found 0x5, expected 0x00 (no named results)"),
				Arguments.of("two async options", minimal().canons(canonLift(0, 0, async(), async())),
						"more than one async option"),
				Arguments.of("two memory options", minimal().canons(canonLift(0, 0, memory(0), memory(0))),
						"more than one memory option"),
				Arguments.of("value type code just below the primitives",
						minimal().canons(new Entry().u8(0x09).u8(0x00).u8(0x72).u32(0)),
						"unknown primitive value type -14"),
				Arguments.of("value type code next to error-context",
						minimal().canons(new Entry().u8(0x09).u8(0x00).u8(0x65).u32(0)),
						"unknown primitive value type -27"),
				Arguments.of("export type flag 2",
						minimal().exports(new Entry().u8(0x00).name("x").u8(FUNC).u32(0).u8(0x02)),
						"export type flag 0x2, expected 0x00 or 0x01"),
				Arguments.of("extern name form 2",
						minimal().exports(new Entry().u8(0x02).name("x").u8(FUNC).u32(0).u8(0x00)),
						"extern name form 0x2, expected 0x00 or 0x01"),
				Arguments.of("value bound 2", minimal().imports(new Entry().u8(0x00).name("v").u8(0x02).u8(0x02)),
						"value bound 0x2, expected 0x00 or 0x01"),
				Arguments.of("type bound 2", minimal().imports(new Entry().u8(0x00).name("t").u8(0x03).u8(0x02)),
						"type bound 0x2, expected 0x00 or 0x01"),
				Arguments.of("inline export used as another sort",
						minimal().coreInstances(coreExports("m", CORE_MEMORY, 0))
							.aliases(aliasCoreExport(CORE_FUNC, 1, "m"))
							.canons(canonLift(2, 0)),
						"alias of export 'm' of core instance 1 as a core func, but it is a core memory"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformedForms")
	void refusesAMalformedFormNamingWhatItFound(String description, ComponentBytes component, String message) {
		byte[] bytes = component.toBytes();

		assertThatExceptionOfType(MalformedBinaryException.class).isThrownBy(() -> ComponentReader.read(bytes, "x"))
			.withMessageContaining(message)
			.satisfies((ex) -> assertThat(ex.offset()).isBetween(8L, (long) bytes.length));
	}

	static Stream<Arguments> liftsOfWhatIsNotAModuleExport() {
		return Stream.of(
				Arguments.of(new Entry().u8(0x0a).u8(0x7f).u32(0), "core func 2, defined by canon context.get at offset"),
				Arguments.of(new Entry().u8(0x0b).u8(0x7e).u32(0), "core func 2, defined by canon context.set at offset"),
				Arguments.of(new Entry().u8(0x0e).u32(0), "core func 2, defined by canon stream.new at offset"),
				Arguments.of(new Entry().u8(0x15).u32(0), "core func 2, defined by canon future.new at offset"));
	}

	@ParameterizedTest
	@MethodSource("liftsOfWhatIsNotAModuleExport")
	void refusesALiftOfACanonBuiltinNamingIt(Entry builtin, String message) {
		byte[] bytes = minimal().canons(builtin, canonLift(2, 0)).toBytes();

		assertThatExceptionOfType(InvalidPluginException.class).isThrownBy(() -> ComponentReader.read(bytes, "x"))
			.withMessageContaining(message);
	}

	@Test
	void refusesALiftThroughACoreInstanceThatWasNotInstantiated() {
		byte[] bytes = minimal().aliases(aliasCoreExport(CORE_INSTANCE, 0, "i"), aliasCoreExport(CORE_FUNC, 1, "f"))
			.canons(canonLift(2, 0))
			.toBytes();

		assertThatExceptionOfType(InvalidPluginException.class).isThrownBy(() -> ComponentReader.read(bytes, "x"))
			.withMessageContaining("is export 'f' of core instance 1, which is defined by alias of core export 'i' "
					+ "of core instance 0 at offset")
			.withMessageContaining("not by instantiating an embedded module");
	}

}
