package io.github.grain.plugin.engine.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.github.grain.plugin.engine.module.ExternKind;
import io.github.grain.plugin.engine.module.ModuleInfo;
import io.github.grain.plugin.engine.module.ModuleParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Components built by real toolchains: the committed plugin fixtures (wit-component via
 * jco, componentize-js; see plugins/build-fixtures.sh) and a WAT file encoded by
 * wasm-tools, an encoder independent of the tests' own {@link ComponentBytes}.
 */
class ComponentFixtureTests {

	private static final String FIXTURES = "/fixtures/component";

	@TestFactory
	Stream<DynamicTest> everyPluginFixtureResolvesToItsMainModule() throws IOException {
		List<Path> fixtures = componentFixtures();
		Assumptions.assumeFalse(fixtures.isEmpty(), "no component fixtures under " + FIXTURES);
		return fixtures.stream()
			.map((path) -> DynamicTest.dynamicTest(path.getFileName().toString(), () -> assertPluginFixture(path)));
	}

	private static void assertPluginFixture(Path path) throws IOException {
		ComponentModel model = ComponentReader.read(Files.readAllBytes(path), path.toString());
		boolean standard = model.lifts().get(0).coreExport().startsWith("cm32p2|");
		String init = standard ? "cm32p2|grain:plugin/plugin|init" : "grain:plugin/plugin#init";
		String memory = standard ? "cm32p2_memory" : "memory";
		String realloc = standard ? "cm32p2_realloc" : "cabi_realloc";

		assertThat(model.exportNames()).contains("grain:plugin/plugin");
		assertThat(model.lift(init)).isPresent();
		assertThat(model.coreModuleNames()).containsEntry(model.mainModuleIndex(), "main");
		ModuleInfo main = ModuleParser.parse(model.mainModule());
		// wit-component keeps only the imports the main module uses: the WASI 0.2 fixtures
		// (wasi02, rust-wasip2) call no grain:plugin/host function, so their components import none
		String hostModule = standard ? "cm32p2|grain:plugin/host" : "grain:plugin/host";
		if (main.imports().stream().anyMatch((i) -> i.module().equals(hostModule))) {
			assertThat(model.importNames()).contains("grain:plugin/host");
			assertThat(model.mainInstantiationArgs()).contains(hostModule);
		}
		else {
			assertThat(model.importNames()).doesNotContain("grain:plugin/host");
			assertThat(main.imports()).allSatisfy((i) -> assertThat(i.module()).startsWith("wasi:"));
		}
		assertThat(main.export(memory)).get().extracting(ModuleInfo.Export::kind).isEqualTo(ExternKind.MEMORY);
		for (CanonicalLift lift : model.lifts()) {
			CanonicalOptions options = lift.options();
			assertThat(options.stringEncoding()).isEqualTo(StringEncoding.UTF8);
			assertThat(options.memoryExport()).isEqualTo(memory);
			assertThat(options.postReturnExport()).as(lift.coreExport())
				.isEqualTo(standard ? lift.coreExport() + "_post" : "cabi_post_" + lift.coreExport());
			assertThat(options.async()).isFalse();
			// Only call-tool and call-hook take parameters the host allocates in guest memory.
			boolean hasParameters = lift.coreExport().endsWith("call-tool") || lift.coreExport().endsWith("call-hook");
			assertThat(options.reallocExport()).as(lift.coreExport()).isEqualTo(hasParameters ? realloc : null);
			assertThat(main.functionExport(lift.coreExport())).as(lift.coreExport()).isPresent();
			assertThat(main.functionExport(options.postReturnExport())).as(options.postReturnExport()).isPresent();
		}
	}

	@Test
	void readsAComponentEncodedByWasmTools() throws IOException {
		ComponentModel model = ComponentReader.read(resource("/component-parser/features.wasm"), "features.wasm");

		assertThat(model.coreModuleCount()).isEqualTo(2);
		assertThat(model.mainModuleIndex()).isEqualTo(1);
		assertThat(model.coreModuleNames()).containsEntry(0, "other").containsEntry(1, "main");
		assertThat(ModuleParser.parse(model.mainModule()).functionExport("cm32p2_realloc")).isPresent();
		assertThat(model.mainInstantiationArgs()).containsExactly("grain:plugin/host");
		assertThat(model.lifts()).extracting(CanonicalLift::coreExport)
			.containsExactly("cm32p2|grain:plugin/plugin|call-tool", "cm32p2|grain:plugin/plugin|init");
		assertThat(model.lifts().get(0).options()).isEqualTo(new CanonicalOptions(StringEncoding.UTF8,
				"cm32p2_memory", "cm32p2_realloc", "cm32p2|grain:plugin/plugin|call-tool_post", false, null));
		assertThat(model.lifts().get(1).options())
			.isEqualTo(new CanonicalOptions(StringEncoding.UTF8, null, null, null, false, null));
		assertThat(model.imports()).containsExactly(new ComponentExtern("grain:plugin/host", ComponentSort.INSTANCE));
		assertThat(model.exports()).containsExactly(
				new ComponentExtern("grain:plugin/plugin", ComponentSort.INSTANCE),
				new ComponentExtern("init", ComponentSort.FUNC));
	}

	private static List<Path> componentFixtures() throws IOException {
		URL url = ComponentFixtureTests.class.getResource(FIXTURES);
		if (url == null) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
			return files.filter((p) -> p.getFileName().toString().endsWith(".wasm")).sorted().toList();
		}
		catch (URISyntaxException ex) {
			throw new IOException(ex);
		}
	}

	private static byte[] resource(String name) throws IOException {
		try (InputStream in = ComponentFixtureTests.class.getResourceAsStream(name)) {
			assertThat(in).as(name).isNotNull();
			return in.readAllBytes();
		}
	}

}
