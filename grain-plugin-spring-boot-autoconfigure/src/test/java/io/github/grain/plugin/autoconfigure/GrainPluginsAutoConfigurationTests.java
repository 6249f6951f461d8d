package io.github.grain.plugin.autoconfigure;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.github.grain.plugin.spring.event.ToolApprovalRequestedEvent;
import io.github.grain.plugin.egress.TestHttpServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.grain.plugin.spring.http.WebClientHttpGateway;
import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.engine.host.HttpGateway;
import io.github.grain.plugin.engine.host.HttpOutcome;
import io.github.grain.plugin.engine.host.HttpRequest;
import io.github.grain.plugin.tool.DefaultToolRegistry;
import io.github.grain.plugin.tool.DuplicateToolException;
import io.github.grain.plugin.tool.GrainTool;
import io.github.grain.plugin.tool.JsonToolHandler;
import io.github.grain.plugin.tool.SandboxPolicy;
import io.github.grain.plugin.tool.SandboxViolationException;
import io.github.grain.plugin.tool.StuckTools;
import io.github.grain.plugin.tool.Tool;
import io.github.grain.plugin.tool.ToolApprovalDecision;
import io.github.grain.plugin.tool.ToolApprovalHandler;
import io.github.grain.plugin.tool.ToolContext;
import io.github.grain.plugin.tool.ToolDefinition;
import io.github.grain.plugin.tool.ToolParam;
import io.github.grain.plugin.tool.ToolRegistry;
import io.github.grain.plugin.tool.ToolResult;
import io.github.grain.plugin.tool.UnknownToolException;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class GrainPluginsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(GrainPluginsAutoConfiguration.class))
		.withPropertyValues("grain.plugins.directories=build/no-plugins-here");

	@Test
	void defaultsProvideRegistryApprovalSandboxGatewayAndEmptyCatalog() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(DefaultToolRegistry.class);
			assertThat(context).hasSingleBean(ConfiguredToolApprovalHandler.class);
			assertThat(context.getBean(SandboxPolicy.class).root()).isEmpty();
			assertThat(context).hasSingleBean(WebClientHttpGateway.class);
			assertThat(context.getBean(PluginCatalog.class).plugins()).isEmpty();
			assertThat(context).hasSingleBean(Jackson2JsonNodeModule.class);
			assertThat(context.getBean(ToolRegistry.class).definitions()).isEmpty();
		});
	}

	@Test
	void disabledByProperty() {
		this.runner.withPropertyValues("grain.plugins.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ToolRegistry.class)
				.doesNotHaveBean(PluginCatalog.class));
	}

	@Test
	void backsOffToUserBeans() {
		this.runner.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context.getBean(ToolRegistry.class)).isSameAs(context.getBean("userRegistry"));
			assertThat(context.getBean(ToolApprovalHandler.class)).isSameAs(context.getBean("userApproval"));
			assertThat(context.getBean(SandboxPolicy.class)).isSameAs(context.getBean("userSandbox"));
			assertThat(context.getBean(HttpGateway.class)).isSameAs(context.getBean("userGateway"));
			assertThat(context).doesNotHaveBean(WebClientHttpGateway.class);
			// tools still land in the user's registry
			assertThat(context.getBean(ToolRegistry.class).contains("greet")).isTrue();
		});
	}

	@Test
	void guestHttpGoesThroughBootsWebClientBuilderWithItsCustomizers() throws Exception {
		try (io.github.grain.plugin.egress.TestHttpServer server = new io.github.grain.plugin.egress.TestHttpServer()) {
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(
						org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration.class,
						GrainPluginsAutoConfiguration.class))
				.withPropertyValues("grain.plugins.directories=build/no-plugins-here",
						"grain.plugins.plugin.x.http.allow=http://127.0.0.1:" + server.port())
				.withBean(org.springframework.boot.webclient.WebClientCustomizer.class,
						() -> (builder) -> builder.defaultHeader("x-app", "customized"))
				.run((context) -> {
					assertThat(context).hasSingleBean(WebClientHttpGateway.class);
					HttpOutcome outcome = context.getBean(HttpGateway.class)
						.send(new HttpRequest("x", "GET", server.url("/headers"), List.of(), null));
					assertThat(outcome).isInstanceOfSatisfying(HttpOutcome.Response.class,
							(response) -> assertThat(response.text()).contains("x-app=customized"));
				});
		}
	}

	@Test
	void withoutWebFluxGuestsGetADenyAllGateway() {
		this.runner.withClassLoader(new FilteredClassLoader(WebClient.class))
			.withPropertyValues("grain.plugins.plugin.x.http.allow=https://api.example.com")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(WebClientHttpGateway.class);
				HttpOutcome outcome = context.getBean(HttpGateway.class)
					.send(new HttpRequest("x", "GET", "https://api.example.com", List.of(), null));
				assertThat(outcome).isEqualTo(new HttpOutcome.Failure("http egress is not configured"));
			});
	}

	@Test
	void withoutReactorNettyGuestsGetADenyAllGateway() {
		this.runner.withClassLoader(new FilteredClassLoader("reactor.netty"))
			.run((context) -> assertThat(context).hasSingleBean(HttpGateway.class)
				.doesNotHaveBean(WebClientHttpGateway.class));
	}

	@Test
	void withoutJackson3NoSerializerModule() {
		this.runner.withClassLoader(new FilteredClassLoader("tools.jackson"))
			.run((context) -> assertThat(context).hasSingleBean(ToolRegistry.class)
				.doesNotHaveBean(Jackson2JsonNodeModule.class));
	}

	@Test
	void withoutJackson2NothingIsConfigured() {
		this.runner.withClassLoader(new FilteredClassLoader(ObjectMapper.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ToolRegistry.class));
	}

	@Test
	void unknownCapabilityInConfigurationFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues("grain.plugins.plugin.weather.capabilities=log,teleport")
			.run((context) -> assertThatStartupFailureRoot(context)
				.hasMessageContaining("grain.plugins.plugin.weather.capabilities")
				.hasMessageContaining("unknown capability 'teleport'"));
	}

	@Test
	void malformedAllowListPatternFailsStartup() {
		this.runner.withPropertyValues("grain.plugins.plugin.weather.http.allow=ftp://files.example.com")
			.run((context) -> assertThatStartupFailureRoot(context)
				.hasMessageContaining("grain.plugins.plugin.weather.http.allow: invalid HTTP allow-list pattern"));
	}

	@Test
	void unknownApprovalDecisionFailsBinding() {
		this.runner.withPropertyValues("grain.plugins.approval.default-decision=maybe")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining(BindException.class.getName())
				.hasStackTraceContaining("grain.plugins.approval.default-decision"));
	}

	@Test
	void nonPositiveCallTimeoutFailsStartup() {
		this.runner.withPropertyValues("grain.plugins.call-timeout=0s")
			.run((context) -> assertThatStartupFailureRoot(context)
				.hasMessageContaining("callTimeout must be positive"));
	}

	@Test
	void zeroExecutorThreadsFailsStartup() {
		this.runner.withPropertyValues("grain.plugins.execution.threads=0")
			.run((context) -> assertThatStartupFailureRoot(context)
				.hasMessageContaining("threads and queue capacity must be positive"));
	}

	@Test
	void sandboxRootIsCreatedAndHandedToTools(@TempDir Path temp) {
		Path root = temp.resolve("work/area");
		this.runner.withPropertyValues("grain.plugins.sandbox.root=" + root).run((context) -> {
			assertThat(root).isDirectory();
			assertThat(context.getBean(SandboxPolicy.class).root()).contains(root.toRealPath());
			assertThat(context.getBean(SandboxPolicy.class).isWritable()).isTrue();
		});
		this.runner.withPropertyValues("grain.plugins.sandbox.root=" + root, "grain.plugins.sandbox.read-only=true")
			.run((context) -> assertThat(context.getBean(SandboxPolicy.class).isWritable()).isFalse());
	}

	@Test
	void sandboxQuotasDefaultAndBindFromProperties(@TempDir Path temp) {
		this.runner.withPropertyValues("grain.plugins.sandbox.root=" + temp).run((context) -> {
			assertThat(context.getBean(SandboxPolicy.class).maxBytes()).isEqualTo(100L * 1024 * 1024);
			assertThat(context.getBean(SandboxPolicy.class).maxFiles()).isEqualTo(10_000);
		});
		this.runner
			.withPropertyValues("grain.plugins.sandbox.root=" + temp, "grain.plugins.sandbox.max-bytes=4B",
					"grain.plugins.sandbox.max-files=7")
			.run((context) -> {
				SandboxPolicy sandbox = context.getBean(SandboxPolicy.class);
				assertThat(sandbox.maxBytes()).isEqualTo(4);
				assertThat(sandbox.maxFiles()).isEqualTo(7);
				assertThatExceptionOfType(SandboxViolationException.class)
					.isThrownBy(() -> sandbox.writeString("five.txt", "12345"))
					.withMessageContaining("more than its quota of 4 bytes");
			});
	}

	@Test
	void beanToolsThatNeverReturnAreAnsweredAtTheCallTimeoutWhileOtherCallsAnswer() {
		this.runner.withUserConfiguration(StuckBeans.class)
			.withPropertyValues("grain.plugins.execution.threads=2", "grain.plugins.call-timeout=300ms")
			.run((context) -> {
				DefaultToolRegistry registry = context.getBean(DefaultToolRegistry.class);
				assertThat(registry.callTimeout()).contains(java.time.Duration.ofMillis(300));
				List<java.util.concurrent.CompletableFuture<ToolResult>> stuck = List.of(registry.callAsync("block_a", "{}"),
						registry.callAsync("block_b", "{}"), registry.callAsync("block_c", "{}"));
				for (java.util.concurrent.CompletableFuture<ToolResult> call : stuck) {
					assertThat(call.get(30, java.util.concurrent.TimeUnit.SECONDS).content().get("error").asText())
						.contains("did not answer within its call timeout of 300 ms");
				}
				assertThat(registry.abandonedThreads()).isEqualTo(3);
				assertThat(registry.callAsync("shout", "{}").get(30, java.util.concurrent.TimeUnit.SECONDS).isError())
					.isFalse();
				context.getBean(StuckTools.class).release.release(3);
			});
	}

	@Test
	void theArgumentsLimitDefaultsToOneMegabyteAndFollowsItsProperty() {
		this.runner.run((context) -> assertThat(context.getBean(DefaultToolRegistry.class).maxArgumentsBytes())
			.isEqualTo(1024 * 1024));
		this.runner.withUserConfiguration(StuckBeans.class)
			.withPropertyValues("grain.plugins.max-arguments-size=10B")
			.run((context) -> assertThat(context.getBean(ToolRegistry.class)
				.call("shout", "{\"ignored\":1}")
				.content()
				.get("error")
				.asText()).isEqualTo("the arguments of tool 'shout' take 13 bytes of JSON, more than the limit of 10 bytes"));
	}

	@Test
	void grainToolMethodsJsonHandlersAndToolBeansAreRegistered() {
		this.runner.withUserConfiguration(ToolBeans.class).run((context) -> {
			ToolRegistry registry = context.getBean(ToolRegistry.class);
			assertThat(registry.definitions()).extracting(ToolDefinition::name)
				.containsExactly("greet", "shout", "word_count");
			assertThat(registry.definition("greet")).get()
				.satisfies((definition) -> assertThat(definition.source()).isEqualTo("bean:greeter"));
			assertThat(registry.definition("word_count").get().source()).isEqualTo("bean:wordCounter");
			assertThat(registry.call("greet", "{\"name\":\"Ada\"}").content().asText()).isEqualTo("Hello, Ada!");
			assertThat(registry.call("word_count", "{\"text\":\"a b\"}").content().asInt()).isEqualTo(2);
			assertThat(registry.call("shout", "{}").content().asText()).isEqualTo("HEY");
		});
	}

	@Test
	void duplicateToolNamesAcrossBeansFailStartupNamingBoth() {
		this.runner.withUserConfiguration(ToolBeans.class, DuplicateGreeter.class)
			.run((context) -> assertThatStartupFailureRoot(context)
				.isInstanceOf(DuplicateToolException.class)
				.hasMessageContaining("duplicate tool name 'greet'")
				.hasMessageContaining("bean:greeter")
				.hasMessageContaining("bean:otherGreeter"));
	}

	@Test
	void mutatingCallsPublishApprovalEventsAndFollowConfiguredDecisions() {
		this.runner.withUserConfiguration(ToolBeans.class, ApprovalListener.class)
			.withPropertyValues("grain.plugins.approval.default-decision=deny", "grain.plugins.approval.tools.shout=approve")
			.run((context) -> {
				ToolRegistry registry = context.getBean(ToolRegistry.class);
				ToolResult denied = registry.call("greet", "{\"name\":\"Ada\"}");
				assertThat(denied.isError()).isTrue();
				assertThat(denied.content().get("error").asText())
					.isEqualTo("the call to tool 'greet' was not approved: denied by the application's configuration");
				assertThat(registry.call("shout", "{}").isError()).isFalse();
				assertThat(registry.call("word_count", "{\"text\":\"a\"}").isError()).isFalse();
				List<ToolApprovalRequestedEvent> events = context.getBean(ApprovalListener.class).events;
				assertThat(events).extracting((event) -> event.getRequest().tool().name()).containsExactly("greet", "shout");
				assertThat(events).extracting((event) -> event.getDecision().approved()).containsExactly(false, true);
			});
	}

	@Test
	void approvalEventsCarryTheCallersPrincipal() {
		this.runner.withUserConfiguration(ToolBeans.class, ApprovalListener.class).run((context) -> {
			ToolRegistry registry = context.getBean(ToolRegistry.class);
			assertThat(registry.call("shout", "{}", Map.of(ToolContext.PRINCIPAL, "alice")).isError()).isFalse();
			assertThat(registry.call("shout", "{}").isError()).isFalse();
			assertThat(context.getBean(ApprovalListener.class).events)
				.extracting(ToolApprovalRequestedEvent::getPrincipal)
				.containsExactly("alice", null);
		});
	}

	@Test
	void rateLimitIsOffByDefaultAndLimitsEachCallerWhenOn() {
		this.runner.withUserConfiguration(ToolBeans.class).run((context) -> {
			ToolRegistry registry = context.getBean(ToolRegistry.class);
			for (int i = 0; i < 30; i++) {
				assertThat(registry.call("word_count", "{\"text\":\"a\"}").isError()).isFalse();
			}
		});
		this.runner.withUserConfiguration(ToolBeans.class)
			.withPropertyValues("grain.plugins.rate-limit.enabled=true", "grain.plugins.rate-limit.calls-per-second=0.01",
					"grain.plugins.rate-limit.burst=2")
			.run((context) -> {
				ToolRegistry registry = context.getBean(ToolRegistry.class);
				Map<String, Object> alice = Map.of(ToolContext.PRINCIPAL, "alice");
				assertThat(registry.call("word_count", "{\"text\":\"a\"}", alice).isError()).isFalse();
				assertThat(registry.call("word_count", "{\"text\":\"a\"}", alice).isError()).isFalse();
				ToolResult busy = registry.call("word_count", "{\"text\":\"a\"}", alice);
				assertThat(busy.isError()).isTrue();
				assertThat(busy.text()).startsWith("too many tool calls from caller 'alice' (at most 0.01 a second, 2 at once)");
				assertThat(busy.content().get("retryAfterMs").asLong()).isPositive();
				assertThat(registry.call("word_count", "{\"text\":\"a\"}", Map.of(ToolContext.PRINCIPAL, "bob"))
					.isError()).isFalse();
			});
	}

	@Test
	void aRateLimitThatAllowsNothingFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues("grain.plugins.rate-limit.enabled=true", "grain.plugins.rate-limit.burst=0")
			.run((context) -> assertThatStartupFailureRoot(context)
				.hasMessage("grain.plugins.rate-limit.burst value '0' allows no call at all"));
		this.runner.withPropertyValues("grain.plugins.rate-limit.enabled=true",
				"grain.plugins.rate-limit.calls-per-second=-1")
			.run((context) -> assertThatStartupFailureRoot(context)
				.hasMessage("grain.plugins.rate-limit.calls-per-second value '-1.0' is not a positive number"));
	}

	@Test
	void jackson3WritesJackson2NodesAsJson() throws Exception {
		JsonMapper jackson3 = JsonMapper.builder().addModule(new Jackson2JsonNodeModule()).build();
		JsonNode content = new ObjectMapper().readTree("{\"a\":[1,true,null],\"b\":{\"c\":\"d\"}}");
		String written = jackson3.writeValueAsString(Map.of("content", content, "isError", false));
		assertThat(jackson3.readTree(written).get("content").toString()).isEqualTo("{\"a\":[1,true,null],\"b\":{\"c\":\"d\"}}");
		assertThat(JsonMapper.builder().build().writeValueAsString(content)).isNotEqualTo(content.toString());
	}

	@Test
	void jackson3WritesEveryKindOfNodeAndUnpairedSurrogatesAsReplacementCharacters() throws Exception {
		JsonMapper jackson3 = JsonMapper.builder().addModule(new Jackson2JsonNodeModule()).build();
		JsonNode content = new ObjectMapper().readTree(
				"{\"n\":[1,12345678901,123456789012345678901234567890,1.5,-2e-3],\"s\":\"a\\ud800b\\udc00\","
						+ "\"pair\":\"\\ud83d\\ude00\",\"x\\udbff\":null}");
		String written = jackson3.writeValueAsString(content);
		assertThat(written).isEqualTo("{\"n\":[1,12345678901,123456789012345678901234567890,1.5,-0.002],"
				+ "\"s\":\"a\ufffdb\ufffd\",\"pair\":\"\ud83d\ude00\",\"x\ufffd\":null}");
	}

	@Test
	void unknownToolIsAnException() {
		this.runner.run((context) -> assertThat(
				org.assertj.core.api.Assertions.catchThrowable(() -> context.getBean(ToolRegistry.class).call("nope", "{}")))
			.isInstanceOf(UnknownToolException.class));
	}

	private static AbstractThrowableAssert<?, ? extends Throwable> assertThatStartupFailureRoot(
			AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		return assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()));
	}

	@Configuration(proxyBeanMethods = false)
	static class StuckBeans {

		@Bean
		StuckTools stuckTools() {
			return new StuckTools();
		}

		@GrainTool(description = "answers", readOnly = true)
		public String shout() {
			return "HEY";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		@Bean
		ToolRegistry userRegistry() {
			return DefaultToolRegistry.builder().build();
		}

		@Bean
		ToolApprovalHandler userApproval() {
			return (request) -> ToolApprovalDecision.deny("user says no");
		}

		@Bean
		SandboxPolicy userSandbox() {
			return SandboxPolicy.denyAll();
		}

		@Bean
		HttpGateway userGateway() {
			return (request) -> new HttpOutcome.Failure("user gateway");
		}

		@Bean
		Greeter greeter() {
			return new Greeter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ToolBeans {

		@Bean
		Greeter greeter() {
			return new Greeter();
		}

		@Bean
		WordCountTool wordCounter() {
			return new WordCountTool();
		}

		@Bean
		Tool shoutTool() {
			ObjectMapper mapper = new ObjectMapper();
			ToolDefinition definition = new ToolDefinition("shout", "Shout", "Shouts", mapper.createObjectNode()
				.put("type", "object"), "bean:shoutTool", null, false);
			return new Tool() {

				@Override
				public ToolDefinition definition() {
					return definition;
				}

				@Override
				public ToolResult call(JsonNode arguments, ToolContext context) {
					return ToolResult.success(mapper.getNodeFactory().textNode("HEY"));
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DuplicateGreeter {

		@Bean
		Greeter otherGreeter() {
			return new Greeter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ApprovalListener implements ApplicationListener<ToolApprovalRequestedEvent> {

		final List<ToolApprovalRequestedEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(ToolApprovalRequestedEvent event) {
			this.events.add(event);
		}

	}

	static class Greeter {

		@GrainTool(description = "Greets someone")
		public String greet(@ToolParam(description = "Who") String name) {
			return "Hello, " + name + "!";
		}

	}

	@GrainTool(readOnly = true, description = "Counts words")
	static class WordCountTool implements JsonToolHandler {

		@Override
		public ToolResult handle(JsonNode arguments, ToolContext context) {
			return ToolResult.success(
					new ObjectMapper().getNodeFactory().numberNode(arguments.get("text").asText().split(" ").length));
		}

		@Override
		public String parametersSchema() {
			return "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},\"required\":[\"text\"]}";
		}

	}

}
