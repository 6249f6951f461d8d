package io.github.grain.plugin;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The arrows between the artifacts, checked where all of them are on the class path:
 * autoconfigure → spring (public Spring-facing types) → core; each runtime module → core's
 * runtime port, never up to the engine that uses it; only a runtime module sees its
 * runtime's library; nothing above the runtimes names one (they are found through
 * {@link java.util.ServiceLoader}).
 */
class ModuleArchitectureTests {

	private static final String[] CORE = { "io.github.grain.plugin.engine..", "io.github.grain.plugin.tool..",
			"io.github.grain.plugin.orchestration..", "io.github.grain.plugin.egress.." };

	private static JavaClasses classes;

	@BeforeAll
	static void importClasses() {
		classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TEST_FIXTURES)
			.importPackages("io.github.grain.plugin");
	}

	@Test
	void coreSeesNeitherSpringNorTheModulesAboveIt() {
		noClasses().that()
			.resideInAnyPackage(CORE)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "reactor..", "io.github.grain.plugin.autoconfigure..",
					"io.github.grain.plugin.spring..", "io.github.grain.plugin.runtime..")
			.check(classes);
	}

	@Test
	void onlyTheWasmtimeRuntimeSeesWasmtimeJava() {
		noClasses().that()
			.resideOutsideOfPackage("io.github.grain.plugin.runtime.wasmtime..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.github.kawamuray.wasmtime..")
			.check(classes);
	}

	@Test
	void onlyTheChicoryRuntimeSeesChicory() {
		noClasses().that()
			.resideOutsideOfPackage("io.github.grain.plugin.runtime.chicory..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("com.dylibso.chicory..")
			.check(classes);
	}

	@Test
	void runtimesUseThePortNotTheEngineAboveIt() {
		noClasses().that()
			.resideInAPackage("io.github.grain.plugin.runtime..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.github.grain.plugin.engine.discovery..", "io.github.grain.plugin.engine.host..",
					"io.github.grain.plugin.engine.wit..", "io.github.grain.plugin.engine.component..",
					"io.github.grain.plugin.tool..", "io.github.grain.plugin.orchestration..")
			.orShould()
			.dependOnClassesThat()
			.haveFullyQualifiedName("io.github.grain.plugin.engine.PluginEngine")
			.check(classes);
	}

	@Test
	void nothingAboveTheRuntimesNamesOne() {
		noClasses().that()
			.resideInAnyPackage("io.github.grain.plugin.autoconfigure..", "io.github.grain.plugin.spring..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.github.grain.plugin.runtime..")
			.check(classes);
	}

	@Test
	void publicSpringTypesDoNotDependOnTheAutoConfiguration() {
		noClasses().that()
			.resideInAPackage("io.github.grain.plugin.spring..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.github.grain.plugin.autoconfigure..")
			.check(classes);
	}

	@Test
	void springAiAndTheMcpSdkStayInTheirAdapters() {
		noClasses().that()
			.resideOutsideOfPackages("io.github.grain.plugin.spring.ai..", "io.github.grain.plugin.autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework.ai..")
			.check(classes);
		noClasses().that()
			.resideOutsideOfPackages("io.github.grain.plugin.spring.mcp..", "io.github.grain.plugin.autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.modelcontextprotocol..")
			.check(classes);
	}

	@Test
	void theRelocatedJsonSchemaLibrariesServeOnlyTheToolModel() {
		noClasses().that()
			.resideInAPackage("io.github.grain.plugin..")
			.and()
			.resideOutsideOfPackages("io.github.grain.plugin.tool..", "io.github.grain.plugin.shaded..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.github.grain.plugin.shaded..")
			.check(classes);
	}

}
