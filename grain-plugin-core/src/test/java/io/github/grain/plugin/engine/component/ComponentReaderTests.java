package io.github.grain.plugin.engine.component;

import static io.github.grain.plugin.engine.component.ComponentBytes.CORE_FUNC;
import static io.github.grain.plugin.engine.component.ComponentBytes.CORE_MEMORY;
import static io.github.grain.plugin.engine.component.ComponentBytes.FUNC;
import static io.github.grain.plugin.engine.component.ComponentBytes.INSTANCE;
import static io.github.grain.plugin.engine.component.ComponentBytes.aliasCoreExport;
import static io.github.grain.plugin.engine.component.ComponentBytes.aliasExport;
import static io.github.grain.plugin.engine.component.ComponentBytes.async;
import static io.github.grain.plugin.engine.component.ComponentBytes.callback;
import static io.github.grain.plugin.engine.component.ComponentBytes.canonLift;
import static io.github.grain.plugin.engine.component.ComponentBytes.canonLower;
import static io.github.grain.plugin.engine.component.ComponentBytes.coreExports;
import static io.github.grain.plugin.engine.component.ComponentBytes.coreModule;
import static io.github.grain.plugin.engine.component.ComponentBytes.export;
import static io.github.grain.plugin.engine.component.ComponentBytes.funcType;
import static io.github.grain.plugin.engine.component.ComponentBytes.importInstance;
import static io.github.grain.plugin.engine.component.ComponentBytes.instanceType;
import static io.github.grain.plugin.engine.component.ComponentBytes.instantiate;
import static io.github.grain.plugin.engine.component.ComponentBytes.latin1Utf16;
import static io.github.grain.plugin.engine.component.ComponentBytes.memory;
import static io.github.grain.plugin.engine.component.ComponentBytes.postReturn;
import static io.github.grain.plugin.engine.component.ComponentBytes.realloc;
import static io.github.grain.plugin.engine.component.ComponentBytes.utf16;
import static io.github.grain.plugin.engine.component.ComponentBytes.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;
import java.util.Map;

import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.MalformedBinaryException;
import io.github.grain.plugin.engine.component.ComponentBytes.Entry;
import org.junit.jupiter.api.Test;

/**
 * Finding the main module and the lifts' options in components built byte by byte.
 */
class ComponentReaderTests {

	private static final byte[] MAIN = coreModule("main");

	/** One module, one instance, lifts of its exports: the smallest plugin component. */
	private static ComponentBytes minimal(Entry... initOptions) {
		return ComponentBytes.component()
			.types(funcType())
			.coreModuleSection(MAIN)
			.coreInstances(instantiate(0))
			.aliases(aliasCoreExport(CORE_FUNC, 0, "grain:plugin/plugin#init"),
					aliasCoreExport(CORE_MEMORY, 0, "memory"),
					aliasCoreExport(CORE_FUNC, 0, "cabi_post_grain:plugin/plugin#init"))
			.canons(canonLift(0, 0, initOptions))
			.exports(export("init", FUNC, 0));
	}

	@Test
	void readsTheMainModuleAndTheOptionsOfAMinimalComponent() {
		byte[] bytes = minimal(utf8(), memory(0), postReturn(1)).toBytes();

		ComponentModel model = ComponentReader.read(bytes, "minimal.wasm");

		assertThat(model.mainModule()).isEqualTo(MAIN);
		assertThat(model.mainModuleIndex()).isZero();
		assertThat(model.coreModuleCount()).isEqualTo(1);
		assertThat(bytes).startsWith(ComponentBytes.COMPONENT_HEADER);
		assertThat(java.util.Arrays.copyOfRange(bytes, (int) model.mainModuleOffset(),
				(int) model.mainModuleOffset() + MAIN.length))
			.isEqualTo(MAIN);
		assertThat(model.lifts()).singleElement().satisfies((lift) -> {
			assertThat(lift.coreExport()).isEqualTo("grain:plugin/plugin#init");
			assertThat(lift.options()).isEqualTo(new CanonicalOptions(StringEncoding.UTF8, "memory", null,
					"cabi_post_grain:plugin/plugin#init", false, null));
		});
		assertThat(model.exports()).containsExactly(new ComponentExtern("init", ComponentSort.FUNC));
		assertThat(model.imports()).isEmpty();
		assertThat(model.mainInstantiationArgs()).isEmpty();
	}

	@Test
	void defaultsTheStringEncodingToUtf8() {
		ComponentModel model = ComponentReader.read(minimal(memory(0)).toBytes(), "minimal.wasm");

		assertThat(model.lifts().get(0).options().stringEncoding()).isEqualTo(StringEncoding.UTF8);
		assertThat(model.lifts().get(0).options().postReturnExport()).isNull();
	}

	@Test
	void readsTheWitComponentLayoutWithMainFirst() {
		ComponentModel model = ComponentReader.read(PluginComponents.witComponentLayout().toBytes(), "plugin.wasm");

		assertThat(model.mainModule()).isEqualTo(PluginComponents.MAIN);
		assertThat(model.mainModuleIndex()).isZero();
		assertThat(model.coreModuleCount()).isEqualTo(4);
		assertThat(model.mainInstantiationArgs()).containsExactly("grain:plugin/host", "wasi_snapshot_preview1");
		assertThat(model.importNames()).containsExactly("grain:plugin/host");
		assertThat(model.imports()).allSatisfy((i) -> assertThat(i.sort()).isEqualTo(ComponentSort.INSTANCE));
		assertThat(model.exportNames()).containsExactly("grain:plugin/plugin");
		assertThat(model.lifts()).extracting(CanonicalLift::coreExport)
			.containsExactly("grain:plugin/plugin#init", "grain:plugin/plugin#call-tool");
		assertThat(model.lift("grain:plugin/plugin#init")).get()
			.extracting(CanonicalLift::options)
			.isEqualTo(new CanonicalOptions(StringEncoding.UTF8, "memory", null, "cabi_post_grain:plugin/plugin#init",
					false, null));
		assertThat(model.lift("grain:plugin/plugin#call-tool")).get()
			.extracting(CanonicalLift::options)
			.isEqualTo(new CanonicalOptions(StringEncoding.UTF8, "memory", "cabi_realloc",
					"cabi_post_grain:plugin/plugin#call-tool", false, null));
	}

	@Test
	void findsMainWhenItIsNotModuleZero() {
		byte[] bytes = PluginComponents
			.withModuleOrder(List.of(PluginComponents.SHIM, PluginComponents.ADAPTER, PluginComponents.FIXUP,
					PluginComponents.MAIN))
			.toBytes();

		ComponentModel model = ComponentReader.read(bytes, "plugin.wasm");

		assertThat(model.mainModuleIndex()).isEqualTo(3);
		assertThat(model.mainModule()).isEqualTo(PluginComponents.MAIN);
		assertThat(model.coreModuleCount()).isEqualTo(4);
		assertThat(model.lifts()).hasSize(2);
	}

	@Test
	void followsAliasesThroughInlineExportInstances() {
		byte[] bytes = ComponentBytes.component()
			.types(funcType())
			.coreModuleSection(coreModule("other"))
			.coreModuleSection(MAIN)
			.coreInstances(instantiate(0), instantiate(1))
			// core func 0, memory 0, core func 1 from main (instance 1)
			.aliases(aliasCoreExport(CORE_FUNC, 1, "cm32p2|grain:plugin/plugin|init"),
					aliasCoreExport(CORE_MEMORY, 1, "cm32p2_memory"),
					aliasCoreExport(CORE_FUNC, 1, "cm32p2|grain:plugin/plugin|init_post"))
			// instance 2 bundles them, instance 3 re-bundles instance 2's under other names
			.coreInstances(coreExports("run", CORE_FUNC, 0, "mem", CORE_MEMORY, 0, "post", CORE_FUNC, 1))
			.aliases(aliasCoreExport(CORE_FUNC, 2, "run"), aliasCoreExport(CORE_MEMORY, 2, "mem"),
					aliasCoreExport(CORE_FUNC, 2, "post"))
			.coreInstances(coreExports("again", CORE_FUNC, 2, "m", CORE_MEMORY, 1, "p", CORE_FUNC, 3))
			.aliases(aliasCoreExport(CORE_FUNC, 3, "again"), aliasCoreExport(CORE_MEMORY, 3, "m"),
					aliasCoreExport(CORE_FUNC, 3, "p"))
			.canons(canonLift(4, 0, memory(2), utf8(), postReturn(5)))
			.exports(export("init", FUNC, 0))
			.toBytes();

		ComponentModel model = ComponentReader.read(bytes, "chain.wasm");

		assertThat(model.mainModuleIndex()).isEqualTo(1);
		assertThat(model.mainModule()).isEqualTo(MAIN);
		assertThat(model.lifts()).singleElement().satisfies((lift) -> {
			assertThat(lift.coreExport()).isEqualTo("cm32p2|grain:plugin/plugin|init");
			assertThat(lift.options().memoryExport()).isEqualTo("cm32p2_memory");
			assertThat(lift.options().postReturnExport()).isEqualTo("cm32p2|grain:plugin/plugin|init_post");
		});
	}

	@Test
	void readsAsyncAndCallbackOptions() {
		byte[] bytes = ComponentBytes.component()
			.types(funcType())
			.coreModuleSection(MAIN)
			.coreInstances(instantiate(0))
			.aliases(aliasCoreExport(CORE_FUNC, 0, "run"), aliasCoreExport(CORE_FUNC, 0, "cb"))
			.canons(canonLift(0, 0, async(), callback(1)))
			.toBytes();

		CanonicalOptions options = ComponentReader.read(bytes, "async.wasm").lifts().get(0).options();

		assertThat(options.async()).isTrue();
		assertThat(options.callbackExport()).isEqualTo("cb");
		assertThat(options.memoryExport()).isNull();
	}

	@Test
	void countsCanonBuiltinsInTheCoreFuncIndexSpace() {
		byte[] bytes = ComponentBytes.component()
			.types(funcType(), funcType())
			.coreModuleSection(MAIN)
			.coreInstances(instantiate(0))
			.aliases(aliasCoreExport(CORE_MEMORY, 0, "memory"))
			.canons(new Entry().u8(0x02).u32(0), // core func 0: resource.new (type 0)
					new Entry().u8(0x09).u8(0x00).u8(0x79).u32(0), // 1: task.return (result u32)
					new Entry().u8(0x09).u8(0x01).u8(0x00).u32(1).u8(0x03).u32(0), // 2: task.return, memory 0
					new Entry().u8(0x0a).u8(0x7f).u32(0), // 3: context.get i32 0
					new Entry().u8(0x20).u8(0x00).u32(0), // 4: waitable-set.wait (memory 0)
					new Entry().u8(0x0f).u32(1).u32(1).u8(0x00), // 5: stream.read (type 1) utf8
					new Entry().u8(0x1f), // 6: waitable-set.new
					new Entry().u8(0x06).u8(0x01), // 7: subtask.cancel async
					new Entry().u8(0x42)) // 8: thread.available-parallelism
			.aliases(aliasCoreExport(CORE_FUNC, 0, "grain:plugin/plugin#init")) // core func 9
			.canons(canonLift(9, 0, memory(0)))
			.toBytes();

		ComponentModel model = ComponentReader.read(bytes, "builtins.wasm");

		assertThat(model.lifts()).singleElement()
			.extracting(CanonicalLift::coreExport)
			.isEqualTo("grain:plugin/plugin#init");
	}

	@Test
	void readsCoreModuleNamesFromTheComponentNameSection() {
		Entry names = new Entry().u8(0x01); // sort-names subsection
		Entry moduleNames = new Entry().u8(0x00, 0x11).u32(1).u32(0).name("main");
		names.u32(moduleNames.size()).raw(moduleNames.toArray());
		byte[] bytes = minimal(memory(0)).custom("component-name", names.toArray()).toBytes();

		assertThat(ComponentReader.read(bytes, "named.wasm").coreModuleNames()).isEqualTo(Map.of(0, "main"));
	}

	@Test
	void ignoresAnUnreadableComponentNameSection() {
		byte[] garbage = { 0x01, 0x7f, 0x00 };
		byte[] bytes = minimal(memory(0)).custom("component-name", garbage).toBytes();

		assertThat(ComponentReader.read(bytes, "named.wasm").coreModuleNames()).isEmpty();
	}

	@Test
	void refusesAUtf16LiftNamingTheExportAndTheEncoding() {
		byte[] bytes = minimal(utf16(), memory(0)).toBytes();

		assertThatExceptionOfType(InvalidPluginException.class)
			.isThrownBy(() -> ComponentReader.read(bytes, "utf16.wasm"))
			.withMessageContaining("'grain:plugin/plugin#init'")
			.withMessageContaining("string-encoding=utf16")
			.withMessageContaining("utf16.wasm");
	}

	@Test
	void refusesALatin1Utf16Lift() {
		byte[] bytes = minimal(latin1Utf16(), memory(0)).toBytes();

		assertThatExceptionOfType(InvalidPluginException.class)
			.isThrownBy(() -> ComponentReader.read(bytes, "latin1.wasm"))
			.withMessageContaining("string-encoding=latin1+utf16");
	}

	@Test
	void refusesConflictingStringEncodings() {
		byte[] bytes = minimal(utf8(), utf16()).toBytes();

		assertThatExceptionOfType(MalformedBinaryException.class)
			.isThrownBy(() -> ComponentReader.read(bytes, "twice.wasm"))
			.withMessageContaining("more than one string-encoding option");
	}

	@Test
	void refusesAComponentWithoutLifts() {
		byte[] bytes = ComponentBytes.component().coreModuleSection(MAIN).coreInstances(instantiate(0)).toBytes();

		assertThatExceptionOfType(InvalidPluginException.class)
			.isThrownBy(() -> ComponentReader.read(bytes, "empty.wasm"))
			.withMessageContaining("lifts no core function");
	}

	@Test
	void refusesLiftsFromTwoInstances() {
		byte[] bytes = ComponentBytes.component()
			.types(funcType())
			.coreModuleSection(MAIN)
			.coreInstances(instantiate(0), instantiate(0))
			.aliases(aliasCoreExport(CORE_FUNC, 0, "a"), aliasCoreExport(CORE_FUNC, 1, "b"))
			.canons(canonLift(0, 0), canonLift(1, 0))
			.toBytes();

		assertThatExceptionOfType(InvalidPluginException.class)
			.isThrownBy(() -> ComponentReader.read(bytes, "two.wasm"))
			.withMessageContaining("more than one core instance")
			.withMessageContaining("'a' from instance 0")
			.withMessageContaining("'b' from instance 1");
	}

	@Test
	void refusesAMemoryOptionFromAnotherInstance() {
		byte[] bytes = ComponentBytes.component()
			.types(funcType())
			.coreModuleSection(MAIN)
			.coreModuleSection(coreModule("memory provider"))
			.coreInstances(instantiate(0), instantiate(1))
			.aliases(aliasCoreExport(CORE_FUNC, 0, "run"), aliasCoreExport(CORE_MEMORY, 1, "memory"))
			.canons(canonLift(0, 0, memory(0)))
			.toBytes();

		assertThatExceptionOfType(InvalidPluginException.class)
			.isThrownBy(() -> ComponentReader.read(bytes, "split.wasm"))
			.withMessageContaining("memory option of the lift of 'run'")
			.withMessageContaining("core instance 1 (module 1)")
			.withMessageContaining("main instance 0 (module 0)");
	}

	@Test
	void refusesALiftOfALoweredFunction() {
		byte[] bytes = ComponentBytes.component()
			.types(instanceType(), funcType())
			.imports(importInstance("grain:plugin/host", 0))
			.aliases(aliasExport(FUNC, 0, "log"))
			.canons(canonLower(0))
			.canons(canonLift(0, 1))
			.toBytes();

		assertThatExceptionOfType(InvalidPluginException.class)
			.isThrownBy(() -> ComponentReader.read(bytes, "relift.wasm"))
			.withMessageContaining("defined by canon lower");
	}

	@Test
	void refusesAMainInstanceOfAnImportedModule() {
		byte[] bytes = ComponentBytes.component()
			.types(funcType())
			.section(3, new Entry().u32(1).u8(0x50).u32(0).toArray()) // core type 0: (module)
			.imports(new Entry().u8(0x00).name("m").u8(0x00, 0x11).u32(0))
			.coreInstances(instantiate(0))
			.aliases(aliasCoreExport(CORE_FUNC, 0, "run"))
			.canons(canonLift(0, 0))
			.toBytes();

		assertThatExceptionOfType(InvalidPluginException.class)
			.isThrownBy(() -> ComponentReader.read(bytes, "imported.wasm"))
			.withMessageContaining("not embedded");
	}

	@Test
	void refusesAnAliasOfAMissingInlineExport() {
		byte[] bytes = ComponentBytes.component()
			.types(funcType())
			.coreModuleSection(MAIN)
			.coreInstances(instantiate(0))
			.aliases(aliasCoreExport(CORE_FUNC, 0, "run"))
			.coreInstances(coreExports("run", CORE_FUNC, 0))
			.aliases(aliasCoreExport(CORE_FUNC, 1, "walk"))
			.canons(canonLift(1, 0))
			.toBytes();

		assertThatExceptionOfType(MalformedBinaryException.class)
			.isThrownBy(() -> ComponentReader.read(bytes, "missing.wasm"))
			.withMessageContaining("'walk'")
			.withMessageContaining("exports no such name");
	}

	@Test
	void refusesACoreModuleAsAComponent() {
		byte[] bytes = ComponentBytes.CORE_HEADER.clone();

		assertThatExceptionOfType(MalformedBinaryException.class)
			.isThrownBy(() -> ComponentReader.read(bytes, "core.wasm"))
			.withMessageContaining("is a core module, not a component")
			.satisfies((ex) -> assertThat(ex.offset()).isEqualTo(4));
	}

	@Test
	void aCoreModuleSectionMustHoldACoreModule() {
		byte[] bytes = ComponentBytes.component().coreModuleSection(new byte[] { 1, 2, 3 }).toBytes();

		assertThatExceptionOfType(MalformedBinaryException.class)
			.isThrownBy(() -> ComponentReader.read(bytes, "bad.wasm"))
			.withMessageContaining("does not start with the core module header")
			.satisfies((ex) -> assertThat(ex.offset()).isEqualTo(10));
	}

	@Test
	void readsExportsWithATypeAscriptionAndInstanceExports() {
		byte[] bytes = minimal(memory(0)).instances(ComponentBytes.instanceExports("init", FUNC, 0))
			.types(instanceType())
			// export "plugin" (instance 0) (type (instance 1))
			.exports(new Entry().u8(0x00).name("plugin").u8(INSTANCE).u32(0).u8(0x01).u8(0x05).u32(1))
			.toBytes();

		ComponentModel model = ComponentReader.read(bytes, "typed.wasm");

		assertThat(model.exports()).containsExactly(new ComponentExtern("init", ComponentSort.FUNC),
				new ComponentExtern("plugin", ComponentSort.INSTANCE));
	}

}
