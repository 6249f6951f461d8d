package io.github.grain.plugin;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Keeps the arrows pointing down: autoconfigure → tool → engine, and autoconfigure →
 * orchestration → engine. Nothing in the engine, the tool model or the orchestration core
 * sees Spring or Reactor; only the wasmtime adapter sees wasmtime-java, only the Chicory
 * adapter sees Chicory.
 */
class ArchitectureTests {

	private static JavaClasses classes;

	@BeforeAll
	static void importClasses() {
		classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("io.github.grain.plugin");
	}

	@Test
	void engineToolModelAndOrchestrationAreFreeOfSpringAndReactor() {
		noClasses().that()
			.resideInAnyPackage("io.github.grain.plugin.engine..", "io.github.grain.plugin.tool..",
					"io.github.grain.plugin.orchestration..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "reactor..")
			.check(classes);
	}

	@Test
	void onlyTheWasmtimeAdapterSeesWasmtimeJava() {
		noClasses().that()
			.resideOutsideOfPackage("io.github.grain.plugin.engine.wasmtime..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.github.kawamuray.wasmtime..")
			.check(classes);
	}

	@Test
	void onlyTheChicoryAdapterSeesChicory() {
		noClasses().that()
			.resideOutsideOfPackage("io.github.grain.plugin.engine.chicory..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("com.dylibso.chicory..")
			.check(classes);
	}

	@Test
	void engineDoesNotDependOnToolModelOrchestrationOrAutoConfiguration() {
		noClasses().that()
			.resideInAPackage("io.github.grain.plugin.engine..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.github.grain.plugin.tool..", "io.github.grain.plugin.orchestration..",
					"io.github.grain.plugin.autoconfigure..")
			.check(classes);
	}

	@Test
	void toolModelDoesNotDependOnOrchestrationOrAutoConfiguration() {
		noClasses().that()
			.resideInAPackage("io.github.grain.plugin.tool..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.github.grain.plugin.orchestration..", "io.github.grain.plugin.autoconfigure..")
			.check(classes);
	}

	@Test
	void orchestrationDoesNotDependOnToolModelOrAutoConfiguration() {
		noClasses().that()
			.resideInAPackage("io.github.grain.plugin.orchestration..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.github.grain.plugin.tool..", "io.github.grain.plugin.autoconfigure..")
			.check(classes);
	}

}
