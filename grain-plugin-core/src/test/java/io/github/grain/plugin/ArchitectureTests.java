package io.github.grain.plugin;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Keeps core's arrows pointing down: tool → engine, orchestration → engine, engine.host →
 * egress, tool and engine.discovery → files. Nothing in core sees Spring, Reactor or a runtime library (the enforcer rule in
 * this module's pom keeps them off the class path as well); the WIT model does not know
 * the host imports that use it.
 */
class ArchitectureTests {

	private static JavaClasses classes;

	@BeforeAll
	static void importClasses() {
		classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("io.github.grain.plugin");
	}

	@Test
	void coreIsFreeOfSpringReactorMicrometerAndRuntimeLibraries() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "reactor..", "io.netty..", "io.github.kawamuray.wasmtime..",
					"com.dylibso.chicory..", "io.micrometer..")
			.check(classes);
	}

	@Test
	void engineDoesNotDependOnToolModelOrOrchestration() {
		noClasses().that()
			.resideInAPackage("io.github.grain.plugin.engine..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.github.grain.plugin.tool..", "io.github.grain.plugin.orchestration..")
			.check(classes);
	}

	@Test
	void toolModelDoesNotDependOnOrchestration() {
		noClasses().that()
			.resideInAPackage("io.github.grain.plugin.tool..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.github.grain.plugin.orchestration..")
			.check(classes);
	}

	@Test
	void orchestrationDoesNotDependOnToolModel() {
		noClasses().that()
			.resideInAPackage("io.github.grain.plugin.orchestration..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.github.grain.plugin.tool..")
			.check(classes);
	}

	@Test
	void egressPolicyStandsAlone() {
		noClasses().that()
			.resideInAPackage("io.github.grain.plugin.egress..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.github.grain.plugin.engine..", "io.github.grain.plugin.tool..",
					"io.github.grain.plugin.orchestration..")
			.check(classes);
	}

	@Test
	void witModelDoesNotKnowTheHostImports() {
		noClasses().that()
			.resideInAPackage("io.github.grain.plugin.engine.wit..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.github.grain.plugin.engine.host..")
			.check(classes);
	}

	@Test
	void confinedFileAccessStandsAlone() {
		noClasses().that()
			.resideInAPackage("io.github.grain.plugin.files..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.github.grain.plugin.engine..", "io.github.grain.plugin.tool..",
					"io.github.grain.plugin.orchestration..", "io.github.grain.plugin.egress..")
			.check(classes);
	}

	@Test
	void runtimePortDoesNotReachUpToTheEngine() {
		noClasses().that()
			.resideInAPackage("io.github.grain.plugin.engine.runtime..")
			.should()
			.dependOnClassesThat()
			.haveFullyQualifiedName("io.github.grain.plugin.engine.PluginEngine")
			.check(classes);
	}

}
