package io.github.grain.plugin.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Nothing a call wrote reaches the next call, whatever a runtime reuses between fresh
 * instances (Chicory hands a restored memory to the next instance): {@code residue.wasm}
 * leaves a secret in a static, in heap blocks, in pages it grew and on its stack, and
 * the next call scans its whole memory for it. After a call that returned, trapped or
 * ran past its deadline alike.
 */
@Tag("runtime")
class FreshInstanceResidueTests {

	private static final ObjectMapper json = new ObjectMapper();

	private final PluginEngine engine = new PluginEngine(
			Fixtures.options().withCallTimeout(Duration.ofMillis(500)).withMaxConcurrentCallsPerPlugin(4));

	private final LoadedPlugin residue = this.engine.load(Fixtures.core("residue", Set.of()));

	@AfterEach
	void close() {
		this.engine.close();
	}

	private static String args(String secret) {
		return "{\"secret\":\"" + secret + "\"}";
	}

	private JsonNode call(String tool, String secret) throws Exception {
		return json.readTree(this.residue.callTool(tool, args(secret)).contentJson());
	}

	private static String secret() {
		return "secret-" + UUID.randomUUID();
	}

	@Test
	void theScanFindsEveryCopyStoredInTheSameInstance() throws Exception {
		// the check the other tests rely on: in one instance the scan finds the stash, the kept
		// heap block, the pattern it was made from and the block at the end of the grown pages
		// (the stack copy is overwritten by the scan's own frames by then)
		JsonNode same = call("remember-and-recall", secret());
		assertThat(same.get("found").asInt()).isEqualTo(4);
		assertThat(same.get("calls").asInt()).isEqualTo(1);
	}

	@Test
	void aSecretLeftByOneCallIsNowhereInTheNextCallsMemory() throws Exception {
		String secret = secret();
		int initialPages = call("recall", secret).get("pages").asInt();
		for (int i = 0; i < 5; i++) {
			assertThat(call("remember", secret).get("calls").asInt()).isEqualTo(1);
			JsonNode next = call("recall", secret);
			assertThat(next.get("found").asInt()).as("copies of the secret left in memory").isZero();
			assertThat(next.get("calls").asInt()).as("the static counter").isZero();
			assertThat(next.get("pages").asInt()).as("pages grown by the last call are gone").isEqualTo(initialPages);
		}
	}

	@Test
	void aCallThatTrapsAfterWritingLeavesNothingBehind() throws Exception {
		String secret = secret();
		for (int i = 0; i < 3; i++) {
			assertThatExceptionOfType(GuestTrapException.class)
				.isThrownBy(() -> this.residue.callTool("remember-and-trap", args(secret)))
				.withMessageContaining("UNREACHABLE_CODE_REACHED");
			assertThat(call("recall", secret).get("found").asInt()).isZero();
		}
	}

	@Test
	void aCallStoppedAtItsDeadlineAfterWritingLeavesNothingBehind() throws Exception {
		String secret = secret();
		assertThatExceptionOfType(GuestTrapException.class)
			.isThrownBy(() -> this.residue.callTool("remember-and-spin", args(secret)))
			.withMessageContaining("ran past its deadline");
		JsonNode next = call("recall", secret);
		assertThat(next.get("found").asInt()).isZero();
		assertThat(next.get("calls").asInt()).isZero();
	}

	@Test
	void concurrentCallsNeverSeeEachOthersSecrets() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Future<List<Integer>>> runs = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				String secret = secret();
				runs.add(pool.submit(() -> {
					List<Integer> found = new ArrayList<>();
					for (int i = 0; i < 20; i++) {
						call("remember", secret);
						found.add(call("recall", secret).get("found").asInt());
					}
					return found;
				}));
			}
			for (Future<List<Integer>> run : runs) {
				assertThat(run.get()).containsOnly(0);
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

}
