package io.github.grain.plugin.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SandboxPolicyTests {

	@TempDir
	Path temp;

	Path root;

	Path outside;

	SandboxPolicy sandbox;

	@BeforeEach
	void setUp() throws IOException {
		this.root = Files.createDirectories(this.temp.resolve("root")).toRealPath();
		this.outside = Files.createDirectories(this.temp.resolve("outside")).toRealPath();
		Files.writeString(this.outside.resolve("secret.txt"), "secret");
		Files.writeString(this.root.resolve("notes.txt"), "notes");
		this.sandbox = SandboxPolicy.rootedAt(this.root);
	}

	@Test
	void relativePathInsideRootResolvesToRealPath() {
		assertThat(this.sandbox.validateRead("notes.txt")).isEqualTo(this.root.resolve("notes.txt"));
	}

	@Test
	void absolutePathInsideRootIsAccepted() {
		assertThat(this.sandbox.validateRead(this.root.resolve("notes.txt").toString()))
			.isEqualTo(this.root.resolve("notes.txt"));
	}

	@Test
	void dotDotStayingInsideIsNormalised() {
		assertThat(this.sandbox.validateRead("sub/../notes.txt")).isEqualTo(this.root.resolve("notes.txt"));
	}

	@Test
	void dotDotEscapeIsRefused() {
		assertThatExceptionOfType(SandboxViolationException.class)
			.isThrownBy(() -> this.sandbox.validateRead("../outside/secret.txt"))
			.withMessageContaining("outside the sandbox");
	}

	@Test
	void absolutePathOutsideIsRefused() {
		assertThatExceptionOfType(SandboxViolationException.class)
			.isThrownBy(() -> this.sandbox.validateRead(this.outside.resolve("secret.txt").toString()))
			.withMessageContaining("outside the sandbox");
	}

	@Test
	void symlinkedFilePointingOutsideIsRefused() throws IOException {
		Files.createSymbolicLink(this.root.resolve("link.txt"), this.outside.resolve("secret.txt"));
		assertThatExceptionOfType(SandboxViolationException.class)
			.isThrownBy(() -> this.sandbox.validateRead("link.txt"))
			.withMessageContaining("outside the sandbox");
	}

	@Test
	void symlinkedDirectoryPointingOutsideIsRefusedForNewFiles() throws IOException {
		Files.createSymbolicLink(this.root.resolve("escape"), this.outside);
		assertThatExceptionOfType(SandboxViolationException.class)
			.isThrownBy(() -> this.sandbox.validateWrite("escape/new.txt"))
			.withMessageContaining("outside the sandbox");
	}

	@Test
	void danglingSymlinkIsRefusedForWrites() throws IOException {
		Files.createSymbolicLink(this.root.resolve("dangling"), this.outside.resolve("does-not-exist"));
		assertThatExceptionOfType(SandboxViolationException.class)
			.isThrownBy(() -> this.sandbox.validateWrite("dangling"))
			.withMessageContaining("dangling");
	}

	@Test
	void symlinkInsideRootPointingInsideIsAccepted() throws IOException {
		Files.createSymbolicLink(this.root.resolve("alias.txt"), this.root.resolve("notes.txt"));
		assertThat(this.sandbox.validateRead("alias.txt")).isEqualTo(this.root.resolve("notes.txt"));
	}

	@Test
	void newFileInNewDirectoryIsAcceptedForWrite() {
		assertThat(this.sandbox.validateWrite("a/b/c.txt")).isEqualTo(this.root.resolve("a/b/c.txt"));
	}

	@Test
	void rootItselfCannotBeWritten() {
		assertThatExceptionOfType(SandboxViolationException.class)
			.isThrownBy(() -> this.sandbox.validateWrite("."))
			.withMessageContaining("sandbox root");
	}

	@Test
	void readOnlySandboxRefusesWritesButAllowsReads() {
		SandboxPolicy readOnly = SandboxPolicy.readOnly(this.root);
		assertThat(readOnly.validateRead("notes.txt")).exists();
		assertThat(readOnly.isWritable()).isFalse();
		assertThatExceptionOfType(SandboxViolationException.class)
			.isThrownBy(() -> readOnly.validateWrite("notes.txt"))
			.withMessageContaining("read-only");
	}

	@Test
	void sandboxWithoutRootRefusesEverything() {
		assertThatExceptionOfType(SandboxViolationException.class)
			.isThrownBy(() -> SandboxPolicy.denyAll().validateRead("notes.txt"))
			.withMessageContaining("no sandbox root");
		assertThat(SandboxPolicy.denyAll().root()).isEmpty();
	}

	@Test
	void rootMustBeADirectory() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> SandboxPolicy.rootedAt(this.root.resolve("notes.txt")));
	}

	@Test
	void rootGivenThroughSymlinkIsMadeReal() throws IOException {
		Path link = Files.createSymbolicLink(this.temp.resolve("root-link"), this.root);
		SandboxPolicy viaLink = SandboxPolicy.rootedAt(link);
		assertThat(viaLink.root()).contains(this.root);
		assertThat(viaLink.validateRead("notes.txt")).isEqualTo(this.root.resolve("notes.txt"));
	}

}
