package io.github.grain.plugin.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.grain.plugin.spring.ai.GrainToolCallbackProvider;
import io.github.grain.plugin.spring.ai.SpringAiToolImporter;
import io.github.grain.plugin.tool.GrainTool;
import io.github.grain.plugin.tool.Tool;
import io.github.grain.plugin.tool.ToolContext;
import io.github.grain.plugin.tool.ToolDefinition;
import io.github.grain.plugin.tool.ToolParam;
import io.github.grain.plugin.tool.ToolRegistry;
import io.github.grain.plugin.tool.ToolResult;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionResult;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.execution.ToolExecutionException;
import org.springframework.ai.tool.method.MethodToolCallbackProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Spring AI bridge with real Spring AI classes: registry tools as live
 * {@link ToolCallback}s driven by a real {@link ChatClient}, Spring AI tools imported
 * into the registry, and the back-off without Spring AI.
 */
class GrainSpringAiAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(GrainPluginsAutoConfiguration.class, GrainSpringAiAutoConfiguration.class))
		.withPropertyValues("grain.plugins.directories=")
		.withUserConfiguration(NoteTools.class);

	@Test
	void everyRegistryToolIsAToolCallbackWithOurNameDescriptionAndSchema() {
		this.runner.run((context) -> {
			ToolCallback[] callbacks = context.getBean(GrainToolCallbackProvider.class).getToolCallbacks();
			assertThat(callbacks).extracting((callback) -> callback.getToolDefinition().name())
				.containsExactly("add_note", "count_notes");
			ToolDefinition ours = context.getBean(ToolRegistry.class).definition("add_note").orElseThrow();
			assertThat(callbacks[0].getToolDefinition().description()).isEqualTo("Adds a note.");
			assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
				.readTree(callbacks[0].getToolDefinition().inputSchema())).isEqualTo(ours.parameters());
			// no description: the label stands in, never an empty text
			assertThat(callbacks[1].getToolDefinition().description()).isEqualTo("Count Notes");
		});
	}

	@Test
	void toolsAddedOrRemovedAtRuntimeShowOnTheNextCall() {
		this.runner.run((context) -> {
			ToolCallbackProvider provider = context.getBean(GrainToolCallbackProvider.class);
			ToolRegistry registry = context.getBean(ToolRegistry.class);
			registry.register(new ConstantTool("late_tool", "late"));
			assertThat(provider.getToolCallbacks()).extracting((callback) -> callback.getToolDefinition().name())
				.contains("late_tool");
			registry.unregister("add_note");
			assertThat(provider.getToolCallbacks()).extracting((callback) -> callback.getToolDefinition().name())
				.containsExactly("count_notes", "late_tool");
		});
	}

	@Test
	void callsGoThroughTheRegistryAndErrorsBecomeToolExecutionExceptionsWithTheToolsMessage() {
		this.runner.withPropertyValues("grain.plugins.approval.tools.add_note=deny").run((context) -> {
			ToolCallback addNote = callback(context.getBean(GrainToolCallbackProvider.class), "add_note");
			assertThatExceptionOfType(ToolExecutionException.class).isThrownBy(() -> addNote.call("{\"text\":\"x\"}"))
				.withMessage("the call to tool 'add_note' was not approved: denied by the application's configuration");
			assertThatExceptionOfType(ToolExecutionException.class).isThrownBy(() -> addNote.call("{\"text\":7}"))
				.withMessageStartingWith("the arguments do not match the parameters schema of tool 'add_note': $.text:");
			assertThat(context.getBean(NoteTools.class).notes).isEmpty();
		});
	}

	@Test
	void springAiToolContextReachesOurs() {
		this.runner.run((context) -> {
			ToolCallback addNote = callback(context.getBean(GrainToolCallbackProvider.class), "add_note");
			String result = addNote.call("{\"text\":\"buy milk\"}",
					new org.springframework.ai.chat.model.ToolContext(Map.of("conversationId", "c-7")));
			assertThat(result).isEqualTo("\"noted for c-7\"");
		});
	}

	@Test
	void aChatClientCallsAGrainToolAndTheModelReadsItsResult() {
		this.runner.run((context) -> {
			ScriptedChatModel model = new ScriptedChatModel("add_note", "{\"text\":\"call Ada\"}");
			String answer = ChatClient.builder(model)
				.build()
				.prompt("Remember to call Ada")
				.toolCallbacks(context.getBean(GrainToolCallbackProvider.class))
				.toolContext(Map.of("conversationId", "c-1"))
				.call()
				.content();
			assertThat(context.getBean(NoteTools.class).notes).containsExactly("call Ada");
			assertThat(model.toolResponses).containsExactly("\"noted for c-1\"");
			assertThat(answer).isEqualTo("The tool said: \"noted for c-1\"");
		});
	}

	@Test
	void theModelReadsADeniedCallAsTheToolsMessage() {
		this.runner.withPropertyValues("grain.plugins.approval.tools.add_note=deny").run((context) -> {
			ScriptedChatModel model = new ScriptedChatModel("add_note", "{\"text\":\"call Ada\"}");
			ChatClient.builder(model)
				.build()
				.prompt("Remember to call Ada")
				.toolCallbacks(context.getBean(GrainToolCallbackProvider.class))
				.call()
				.content();
			assertThat(model.toolResponses).containsExactly(
					"the call to tool 'add_note' was not approved: denied by the application's configuration");
			assertThat(context.getBean(NoteTools.class).notes).isEmpty();
		});
	}

	@Test
	void springAiToolsAreImportedWhenAskedButNeverOurOwnCallbacks() {
		this.runner.withUserConfiguration(WeatherToolsConfiguration.class)
			.withPropertyValues("grain.plugins.spring-ai.import-tool-callbacks=true")
			.run((context) -> {
				assertThat(context).hasSingleBean(SpringAiToolImporter.class);
				ToolRegistry registry = context.getBean(ToolRegistry.class);
				assertThat(registry.definitions()).extracting(ToolDefinition::name)
					.containsExactly("add_note", "count_notes", "temperature");
				ToolDefinition temperature = registry.definition("temperature").orElseThrow();
				assertThat(temperature.source()).isEqualTo("spring-ai:weatherToolCallbacks");
				assertThat(temperature.readOnly()).isFalse();
				ToolResult result = registry.call("temperature", "{\"city\":\"Oslo\"}", Map.of("unit", "C"));
				assertThat(result.isError()).isFalse();
				assertThat(result.content().asInt()).isEqualTo(12);
				assertThat(context.getBean(WeatherTools.class).contexts).containsExactly(Map.of("unit", "C"));
				// our provider still offers only our own tools: no name twice for the model
				assertThat(context.getBean(GrainToolCallbackProvider.class).getToolCallbacks())
					.extracting((callback) -> callback.getToolDefinition().name())
					.containsExactly("add_note", "count_notes");
			});
	}

	@Test
	void importedToolsTakeTheRegistrysValidationAndApproval() {
		this.runner.withUserConfiguration(WeatherToolsConfiguration.class)
			.withPropertyValues("grain.plugins.spring-ai.import-tool-callbacks=true",
					"grain.plugins.approval.tools.temperature=deny")
			.run((context) -> {
				ToolRegistry registry = context.getBean(ToolRegistry.class);
				assertThat(registry.call("temperature", "{\"city\":\"Oslo\"}").text())
					.isEqualTo("the call to tool 'temperature' was not approved: denied by the application's configuration");
				assertThat(registry.call("temperature", "{}").text())
					.startsWith("the arguments do not match the parameters schema of tool 'temperature'");
				assertThat(context.getBean(WeatherTools.class).contexts).isEmpty();
			});
	}

	@Test
	void anImportedNameTakenByOurToolsFailsStartupNamingBothSources() {
		this.runner.withUserConfiguration(ClashingToolsConfiguration.class)
			.withPropertyValues("grain.plugins.spring-ai.import-tool-callbacks=true")
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.hasMessage("duplicate tool name 'count_notes': defined by bean:grainSpringAiAutoConfigurationTests.NoteTools and by spring-ai:clashingCallbacks"));
	}

	@Test
	void nothingIsImportedByDefault() {
		this.runner.withUserConfiguration(WeatherToolsConfiguration.class).run((context) -> {
			assertThat(context).doesNotHaveBean(SpringAiToolImporter.class);
			assertThat(context.getBean(ToolRegistry.class).contains("temperature")).isFalse();
		});
	}

	@Test
	void backsOffWithoutSpringAiOnTheClassPath() {
		this.runner.withClassLoader(new FilteredClassLoader(ToolCallbackProvider.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(ToolRegistry.class);
			assertThat(context).doesNotHaveBean(GrainToolCallbackProvider.class);
		});
	}

	@Test
	void backsOffWhenTurnedOffAndToAProviderOfTheUsers() {
		this.runner.withPropertyValues("grain.plugins.spring-ai.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(GrainToolCallbackProvider.class));
		this.runner.withUserConfiguration(OwnProviderConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(GrainToolCallbackProvider.class);
			assertThat(context.getBean(GrainToolCallbackProvider.class))
				.isSameAs(context.getBean("myProvider"));
		});
	}

	private static ToolCallback callback(ToolCallbackProvider provider, String name) {
		for (ToolCallback callback : provider.getToolCallbacks()) {
			if (callback.getToolDefinition().name().equals(name)) {
				return callback;
			}
		}
		throw new AssertionError("no callback named " + name);
	}

	/**
	 * A deterministic model: asks for one tool call, then answers with what the tool said.
	 * Like Spring AI's own model clients it runs the requested tools with a
	 * {@link ToolCallingManager} and sends their results back to itself.
	 */
	static final class ScriptedChatModel implements ChatModel {

		final List<String> toolResponses = new CopyOnWriteArrayList<>();

		private final ToolCallingManager toolCallingManager = ToolCallingManager.builder().build();

		private final String toolName;

		private final String arguments;

		ScriptedChatModel(String toolName, String arguments) {
			this.toolName = toolName;
			this.arguments = arguments;
		}

		@Override
		public ChatOptions getOptions() {
			return ToolCallingChatOptions.builder().build();
		}

		@Override
		public ChatOptions getDefaultOptions() {
			return getOptions();
		}

		@Override
		public ChatResponse call(Prompt prompt) {
			List<Message> messages = prompt.getInstructions();
			if (messages.get(messages.size() - 1) instanceof ToolResponseMessage response) {
				String said = response.getResponses().get(0).responseData();
				this.toolResponses.add(said);
				return new ChatResponse(List.of(new Generation(new AssistantMessage("The tool said: " + said))));
			}
			AssistantMessage askForTool = AssistantMessage.builder()
				.content("")
				.toolCalls(List.of(new AssistantMessage.ToolCall("call-1", "function", this.toolName, this.arguments)))
				.build();
			ChatResponse response = new ChatResponse(List.of(new Generation(askForTool)));
			ToolExecutionResult executed = this.toolCallingManager.executeToolCalls(prompt, response);
			return call(new Prompt(executed.conversationHistory(), prompt.getOptions()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NoteTools {

		final List<String> notes = new CopyOnWriteArrayList<>();

		@GrainTool(description = "Adds a note.")
		public String addNote(@ToolParam(description = "the note") String text, ToolContext context) {
			this.notes.add(text);
			return "noted for " + context.attribute("conversationId").orElse("nobody");
		}

		@GrainTool(label = "Count Notes", readOnly = true)
		public int countNotes() {
			return this.notes.size();
		}

	}

	static class WeatherTools {

		final List<Map<String, Object>> contexts = new CopyOnWriteArrayList<>();

		@org.springframework.ai.tool.annotation.Tool(description = "The temperature in a city, in degrees Celsius.")
		public int temperature(String city, org.springframework.ai.chat.model.ToolContext toolContext) {
			this.contexts.add(toolContext.getContext());
			return city.length() * 3;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WeatherToolsConfiguration {

		@Bean
		WeatherTools weatherTools() {
			return new WeatherTools();
		}

		@Bean
		ToolCallbackProvider weatherToolCallbacks(WeatherTools weatherTools) {
			return MethodToolCallbackProvider.builder().toolObjects(weatherTools).build();
		}

	}

	static class ClashingTools {

		@org.springframework.ai.tool.annotation.Tool(name = "count_notes", description = "Counts something else.")
		public int countNotes() {
			return 0;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ClashingToolsConfiguration {

		@Bean
		ToolCallbackProvider clashingCallbacks() {
			return MethodToolCallbackProvider.builder().toolObjects(new ClashingTools()).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnProviderConfiguration {

		@Bean
		GrainToolCallbackProvider myProvider(ToolRegistry registry) {
			return new GrainToolCallbackProvider(registry);
		}

	}

	record ConstantTool(String name, String value) implements Tool {

		@Override
		public ToolDefinition definition() {
			return new ToolDefinition(this.name, this.name, "constant", JsonNodeFactory.instance.objectNode()
				.put("type", "object"), "test:" + this.name, null, true);
		}

		@Override
		public ToolResult call(JsonNode arguments, ToolContext context) {
			return ToolResult.success(JsonNodeFactory.instance.textNode(this.value));
		}

	}

}
