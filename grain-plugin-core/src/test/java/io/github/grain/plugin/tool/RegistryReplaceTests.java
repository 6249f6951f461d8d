package io.github.grain.plugin.tool;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Adding tools together and replacing the tools of one source (a plugin reloaded), on the
 * {@link DefaultToolRegistry} and on a registry that has only {@link ToolRegistry}'s own
 * {@code registerAll} and {@code replace}: all or nothing, a name never taken from another
 * source, and one change event per tool added or removed.
 */
class RegistryReplaceTests {

	private final DefaultToolRegistry backing = DefaultToolRegistry.builder().build();

	private final List<ToolRegistryChange> changes = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() {
		this.backing.close();
	}

	static Stream<Named<Boolean>> registries() {
		return Stream.of(Named.of("DefaultToolRegistry", false), Named.of("ToolRegistry's defaults", true));
	}

	@ParameterizedTest
	@MethodSource("registries")
	void registerAllAddsEveryToolInOrderOneChangeEach(boolean defaults) {
		ToolRegistry registry = registry(defaults);
		long start = registry.version();
		registry.registerAll(List.of(tool("wasm:a", "one", "1"), tool("wasm:a", "two", "2")));
		assertThat(registry.definitions()).extracting(ToolDefinition::name).containsExactly("one", "two");
		assertThat(answer(registry, "two")).isEqualTo("2");
		assertThat(events(start)).containsExactly("+one 1", "+two 2");
		assertThat(registry.version()).isEqualTo(start + 2);
	}

	@ParameterizedTest
	@MethodSource("registries")
	void registerAllAddsNothingWhenANameIsTakenOrGivenTwice(boolean defaults) {
		ToolRegistry registry = registry(defaults);
		registry.register(tool("bean:app", "taken", "app"));
		assertThatExceptionOfType(DuplicateToolException.class)
			.isThrownBy(() -> registry.registerAll(List.of(tool("wasm:a", "free", "a"), tool("wasm:a", "taken", "a"))))
			.withMessage("duplicate tool name 'taken': defined by bean:app and by wasm:a");
		assertThatExceptionOfType(DuplicateToolException.class)
			.isThrownBy(() -> registry.registerAll(List.of(tool("wasm:b", "twice", "b"), tool("wasm:c", "twice", "c"))))
			.withMessage("duplicate tool name 'twice': defined by wasm:b and by wasm:c");
		assertThat(registry.definitions()).extracting(ToolDefinition::name).containsExactly("taken");
		assertThat(answer(registry, "taken")).isEqualTo("app");
	}

	@ParameterizedTest
	@MethodSource("registries")
	void replaceSwapsTheSourcesToolsAndRemovesItsLeftoversOnly(boolean defaults) {
		ToolRegistry registry = registry(defaults);
		registry.register(tool("bean:app", "app_tool", "app"));
		registry.registerAll(List.of(tool("wasm:weather", "forecast", "old"), tool("wasm:weather", "radar", "old")));
		long start = registry.version();
		registry.replace("wasm:weather", List.of(tool("wasm:weather", "forecast", "new"), tool("wasm:weather", "alerts", "new")));
		assertThat(registry.definitions()).extracting((definition) -> definition.name() + "@" + definition.source())
			.containsExactly("alerts@wasm:weather", "app_tool@bean:app", "forecast@wasm:weather");
		assertThat(answer(registry, "forecast")).isEqualTo("new");
		assertThat(answer(registry, "app_tool")).isEqualTo("app");
		// the old forecast goes as the new one comes; radar, gone from the new version, last
		assertThat(events(start)).containsExactly("-forecast 1", "+forecast 2", "+alerts 3", "-radar 4");
		assertThat(registry.version()).isEqualTo(start + 4);
	}

	@ParameterizedTest
	@MethodSource("registries")
	void replaceChangesNothingWhenANameBelongsToAnotherSource(boolean defaults) {
		ToolRegistry registry = registry(defaults);
		registry.register(tool("bean:app", "forecast", "app"));
		registry.register(tool("wasm:weather", "radar", "old"));
		long start = registry.version();
		assertThatExceptionOfType(DuplicateToolException.class)
			.isThrownBy(() -> registry.replace("wasm:weather",
					List.of(tool("wasm:weather", "alerts", "new"), tool("wasm:weather", "forecast", "new"))))
			.withMessage("duplicate tool name 'forecast': defined by bean:app and by wasm:weather");
		assertThat(registry.definitions()).extracting(ToolDefinition::name).containsExactly("forecast", "radar");
		assertThat(answer(registry, "forecast")).isEqualTo("app");
		assertThat(answer(registry, "radar")).isEqualTo("old");
		assertThat(registry.version()).isEqualTo(start);
	}

	private ToolRegistry registry(boolean defaults) {
		this.backing.addListener(this.changes::add);
		return defaults ? new DefaultsOnly(this.backing) : this.backing;
	}

	private List<String> events(long start) {
		return this.changes.stream()
			.filter((change) -> change.version() > start)
			.map((change) -> ((change instanceof ToolRegistryChange.Registered) ? "+" : "-") + change.definition().name()
					+ " " + (change.version() - start))
			.toList();
	}

	private static String answer(ToolRegistry registry, String name) {
		return registry.call(name, "{}").content().asText();
	}

	private static Tool tool(String source, String name, String answer) {
		return RegistryTestTool.from(source, name, (arguments) -> ToolResult.success(TextNode.valueOf(answer)));
	}

	/** A registry of its own that leaves registerAll and replace to the interface. */
	private static final class DefaultsOnly implements ToolRegistry {

		private final ToolRegistry delegate;

		DefaultsOnly(ToolRegistry delegate) {
			this.delegate = delegate;
		}

		@Override
		public List<ToolDefinition> definitions() {
			return this.delegate.definitions();
		}

		@Override
		public Optional<ToolDefinition> definition(String name) {
			return this.delegate.definition(name);
		}

		@Override
		public Optional<Tool> tool(String name) {
			return this.delegate.tool(name);
		}

		@Override
		public void register(Tool tool) {
			this.delegate.register(tool);
		}

		@Override
		public Optional<Tool> unregister(String name) {
			return this.delegate.unregister(name);
		}

		@Override
		public long version() {
			return this.delegate.version();
		}

		@Override
		public ListenerRegistration addListener(ToolRegistryListener listener) {
			return this.delegate.addListener(listener);
		}

		@Override
		public ToolResult call(String name, JsonNode arguments, Map<String, ?> attributes) {
			return this.delegate.call(name, arguments, attributes);
		}

		@Override
		public ToolResult call(String name, String argumentsJson, Map<String, ?> attributes) {
			return this.delegate.call(name, argumentsJson, attributes);
		}

		@Override
		public CompletableFuture<ToolResult> callAsync(String name, JsonNode arguments, Map<String, ?> attributes) {
			return this.delegate.callAsync(name, arguments, attributes);
		}

		@Override
		public CompletableFuture<ToolResult> callAsync(String name, String argumentsJson) {
			return this.delegate.callAsync(name, argumentsJson);
		}

	}

}
