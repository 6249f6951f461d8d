package io.github.grain.plugin.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import io.github.grain.plugin.spring.event.ApplicationEventHookListener;
import io.github.grain.plugin.engine.Fixtures;
import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.engine.wit.HostAction;
import io.github.grain.plugin.orchestration.HookActionRejected;
import io.github.grain.plugin.orchestration.HookDispatch;
import io.github.grain.plugin.orchestration.HookDispatcher;
import io.github.grain.plugin.orchestration.HookListener;
import io.github.grain.plugin.orchestration.HostActionLimits;
import io.github.grain.plugin.orchestration.HostActionValidator;
import io.github.grain.plugin.orchestration.ModelCatalogue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The hook dispatcher's auto-configuration: its beans, back-off to user beans, the
 * {@code grain.plugins.hooks.*} caps and the optional model catalogue.
 */
class HookAutoConfigurationTests {

	@TempDir
	static Path plugins;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(GrainPluginsAutoConfiguration.class))
		.withPropertyValues("grain.plugins.directories=build/no-plugins-here");

	private final ApplicationContextRunner withOrchestrator = this.runner
		.withPropertyValues("grain.plugins.directories=" + plugins);

	@BeforeAll
	static void installPlugin() throws IOException {
		Path dir = Files.createDirectories(plugins.resolve("orchestrator"));
		Files.write(dir.resolve("plugin.wasm"), Fixtures.bytes("core/v2-legacy.wasm"));
		Files.writeString(dir.resolve("plugin.toml"), "[wasm]\ncapabilities = [\"role-orchestration\"]\n");
	}

	@Test
	void defaultsProvideADispatcherPublishingEventsWithDefaultCaps() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(HookDispatcher.class);
			assertThat(context.getBean(HookListener.class)).isInstanceOf(ApplicationEventHookListener.class);
			assertThat(context.getBean(HostActionValidator.class).limits()).isEqualTo(HostActionLimits.defaults());
			HookDispatch dispatch = context.getBean(HookDispatcher.class).dispatch(HookPoint.BEFORE_AGENT_START, "{}");
			assertThat(dispatch.plugins()).isEmpty();
			assertThat(dispatch.outcomes()).isEmpty();
		});
	}

	@Test
	void dispatcherCallsTheLoadedPluginsAndKnowsTheRegistrysTools() {
		this.withOrchestrator.run((context) -> {
			HookDispatch dispatch = context.getBean(HookDispatcher.class)
				.dispatch(HookPoint.SHOULD_STOP_AFTER_TURN, "{\"case\":\"all\"}");
			assertThat(dispatch.plugins()).containsExactly("orchestrator");
			// set-active-tools [echo, fail] passes because the plugin's tools are in the registry
			assertThat(dispatch.actions()).hasSize(9).contains(new HostAction.SetActiveTools(List.of("echo", "fail")));
			assertThat(dispatch.rejected()).isEmpty();
		});
	}

	@Test
	void disabledPluginsHaveNoDispatcher() {
		this.runner.withPropertyValues("grain.plugins.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HookDispatcher.class)
				.doesNotHaveBean(HostActionValidator.class)
				.doesNotHaveBean(HookListener.class));
	}

	@Test
	void backsOffToUserBeans() {
		this.runner.withUserConfiguration(UserHookBeans.class).run((context) -> {
			assertThat(context).hasSingleBean(HookDispatcher.class);
			assertThat(context.getBean(HookDispatcher.class)).isSameAs(context.getBean("userDispatcher"));
			assertThat(context.getBean(HostActionValidator.class)).isSameAs(context.getBean("userValidator"));
			assertThat(context.getBean(HookListener.class)).isSameAs(HookListener.NONE);
		});
	}

	@Test
	void modelCatalogueBeanChecksModelIds() {
		this.withOrchestrator.withBean(ModelCatalogue.class, () -> "anthropic/claude-sonnet-4"::equals)
			.run((context) -> {
				HookDispatch dispatch = context.getBean(HookDispatcher.class)
					.dispatch(HookPoint.SHOULD_STOP_AFTER_TURN, "{\"case\":\"all\"}");
				// planner's model is known, so the role switch passes
				assertThat(dispatch.actions()).contains(new HostAction.SwitchRole("planner"));
				assertThat(dispatch.rejected()).extracting(HookActionRejected::action, HookActionRejected::reason)
					.containsExactly(tuple(new HostAction.SwitchModel("openai/gpt-5"),
							"model 'openai/gpt-5' is not in the model catalogue"));
			});
	}

	@Test
	void sizeCapsComeFromProperties() {
		this.runner
			.withPropertyValues("grain.plugins.hooks.max-system-prompt-size=1KB",
					"grain.plugins.hooks.max-user-message-size=2KB", "grain.plugins.hooks.max-ui-text-size=64B")
			.run((context) -> assertThat(context.getBean(HostActionValidator.class).limits())
				.isEqualTo(new HostActionLimits(1024, 2048, 64)));
	}

	@Test
	void sizeCapsApplyToWhatPluginsReturn() {
		this.withOrchestrator
			.withPropertyValues("grain.plugins.hooks.max-system-prompt-size=5B",
					"grain.plugins.hooks.max-ui-text-size=4B")
			.run((context) -> {
				HookDispatch dispatch = context.getBean(HookDispatcher.class)
					.dispatch(HookPoint.SHOULD_STOP_AFTER_TURN, "{\"case\":\"all\"}");
				assertThat(dispatch.rejected()).extracting((rejected) -> rejected.action().kind(),
						HookActionRejected::reason)
					.containsExactly(
							tuple("switch-role",
									"role 'planner' of plugin 'orchestrator' is invalid: prompt of 9 bytes exceeds "
											+ "the cap of 5 bytes"),
							tuple("set-system-prompt", "system prompt of 9 bytes exceeds the cap of 5 bytes"),
							tuple("set-ui-header", "ui header provider of 9 bytes exceeds the cap of 4 bytes"),
							tuple("set-ui-status", "ui status of 8 bytes exceeds the cap of 4 bytes"));
				assertThat(dispatch.actions()).extracting(HostAction::kind)
					.containsExactly("switch-model", "set-active-tools", "inject-user-message", "stop-after-turn",
							"emit-custom");
			});
	}

	@Test
	void negativeSizeCapFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues("grain.plugins.hooks.max-user-message-size=-1B")
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.hasMessageContaining("grain.plugins.hooks.max-user-message-size must be between 0 bytes and 2 GB"));
	}

	@Test
	void excludedToolsOfAPluginAreUnknownToTheValidator() {
		this.withOrchestrator.withPropertyValues("grain.plugins.plugin.orchestrator.exclude-tools=fail")
			.run((context) -> {
				HookDispatch dispatch = context.getBean(HookDispatcher.class)
					.dispatch(HookPoint.SHOULD_STOP_AFTER_TURN, "{\"case\":\"all\"}");
				assertThat(dispatch.rejected()).extracting(HookActionRejected::reason)
					.containsExactly("unknown tool 'fail'; the whole tool set is refused");
				assertThat(Set.of(context.getBeanNamesForType(io.github.grain.plugin.tool.WasmTool.class)))
					.containsExactly("grainTool.orchestrator.echo");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserHookBeans {

		@Bean
		HostActionValidator userValidator() {
			return new HostActionValidator((tool) -> true);
		}

		@Bean
		HookListener userListener() {
			return HookListener.NONE;
		}

		@Bean
		HookDispatcher userDispatcher(HostActionValidator validator, HookListener listener) {
			return new HookDispatcher(List.of(), validator, listener);
		}

	}

}
