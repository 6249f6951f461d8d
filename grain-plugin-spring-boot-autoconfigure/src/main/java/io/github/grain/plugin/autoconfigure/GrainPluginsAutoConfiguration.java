package io.github.grain.plugin.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.grain.plugin.egress.EgressPolicy;
import io.github.grain.plugin.egress.HostResolver;
import io.github.grain.plugin.spring.http.WebClientHttpGateway;
import io.github.grain.plugin.spring.event.ApplicationEventHookListener;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.engine.discovery.PluginReport;
import io.github.grain.plugin.engine.host.HttpGateway;
import io.github.grain.plugin.orchestration.HookDispatcher;
import io.github.grain.plugin.orchestration.HookListener;
import io.github.grain.plugin.orchestration.HostActionLimits;
import io.github.grain.plugin.orchestration.HostActionValidator;
import io.github.grain.plugin.orchestration.ModelCatalogue;
import io.github.grain.plugin.tool.DefaultToolRegistry;
import io.github.grain.plugin.tool.SandboxPolicy;
import io.github.grain.plugin.tool.ToolApprovalHandler;
import io.github.grain.plugin.tool.ToolJson;
import io.github.grain.plugin.tool.ToolRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of hosted grain plugins and tools: one {@link ToolRegistry} for the
 * WebAssembly tools found in {@code grain.plugins.directories} and the application's
 * {@code @GrainTool} beans, the approval handler, the file-system sandbox, the guests'
 * HTTP gateway over {@link WebClient} (deny-all when WebFlux is absent), and the
 * {@link HookDispatcher} of v2 plugins, whose outcomes are published as application
 * events.
 */
@AutoConfiguration(afterName = "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration")
@ConditionalOnClass(ObjectMapper.class)
@ConditionalOnBooleanProperty(name = "grain.plugins.enabled", matchIfMissing = true)
@EnableConfigurationProperties(GrainPluginsProperties.class)
public final class GrainPluginsAutoConfiguration {

	private static final Log logger = LogFactory.getLog(GrainPluginsAutoConfiguration.class);

	private static final boolean REACTOR_PRESENT = ClassUtils.isPresent("reactor.core.scheduler.Schedulers",
			GrainPluginsAutoConfiguration.class.getClassLoader());

	@Bean
	static WasmPluginsRegistrar grainWasmPluginsRegistrar() {
		return new WasmPluginsRegistrar();
	}

	@Bean
	static GrainToolBeanRegistrar grainToolBeanRegistrar() {
		return new GrainToolBeanRegistrar();
	}

	@Bean
	@ConditionalOnMissingBean
	ToolApprovalHandler toolApprovalHandler(GrainPluginsProperties properties, ApplicationEventPublisher publisher) {
		return new ConfiguredToolApprovalHandler(properties.getApproval(), publisher);
	}

	@Bean
	@ConditionalOnMissingBean
	SandboxPolicy grainSandboxPolicy(GrainPluginsProperties properties) {
		Path root = properties.getSandbox().getRoot();
		if (root == null) {
			return SandboxPolicy.denyAll();
		}
		try {
			Files.createDirectories(root);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("grain.plugins.sandbox.root '" + root + "' cannot be created", ex);
		}
		GrainPluginsProperties.Sandbox sandbox = properties.getSandbox();
		return (sandbox.isReadOnly() ? SandboxPolicy.readOnly(root) : SandboxPolicy.rootedAt(root))
			.withQuota(sandbox.getMaxBytes().toBytes(), sandbox.getMaxFiles());
	}

	@Bean
	@ConditionalOnMissingBean(ToolRegistry.class)
	DefaultToolRegistry toolRegistry(GrainPluginsProperties properties, ToolApprovalHandler approvalHandler,
			SandboxPolicy sandbox) {
		GrainPluginsProperties.Execution execution = properties.getExecution();
		DefaultToolRegistry.Builder builder = DefaultToolRegistry.builder()
			.mapper(ToolJson.newMapper())
			.executor(DefaultToolRegistry.newExecutor(execution.getThreads(), execution.getQueueCapacity()))
			.maxConcurrentCalls(execution.getThreads())
			.callTimeout(properties.getCallTimeout())
			.maxArgumentsBytes(properties.getMaxArgumentsSize().toBytes())
			.approvalHandler(approvalHandler)
			.sandbox(sandbox);
		if (REACTOR_PRESENT) {
			builder.callerMayBlock(ReactorThreads::mayBlock);
		}
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean
	HostActionValidator grainHostActionValidator(GrainPluginsProperties properties, ToolRegistry toolRegistry,
			ObjectProvider<ModelCatalogue> modelCatalogue) {
		// the registry is filled once every singleton exists: ask it per action, not now
		return new HostActionValidator(toolRegistry::contains, modelCatalogue.getIfAvailable(),
				hostActionLimits(properties.getHooks()));
	}

	static HostActionLimits hostActionLimits(GrainPluginsProperties.Hooks hooks) {
		return new HostActionLimits(bytes("max-system-prompt-size", hooks.getMaxSystemPromptSize()),
				bytes("max-user-message-size", hooks.getMaxUserMessageSize()),
				bytes("max-ui-text-size", hooks.getMaxUiTextSize()));
	}

	private static int bytes(String property, DataSize size) {
		long bytes = size.toBytes();
		if (bytes < 0 || bytes > Integer.MAX_VALUE) {
			throw new IllegalArgumentException(
					"grain.plugins.hooks." + property + " must be between 0 bytes and 2 GB: " + size);
		}
		return (int) bytes;
	}

	@Bean
	@ConditionalOnMissingBean
	HookListener grainHookListener(ApplicationEventPublisher publisher) {
		return new ApplicationEventHookListener(publisher);
	}

	@Bean
	@ConditionalOnMissingBean
	HookDispatcher hookDispatcher(PluginCatalog catalog, HostActionValidator validator, HookListener listener) {
		return new HookDispatcher(() -> loadedPlugins(catalog), validator, listener);
	}

	private static List<LoadedPlugin> loadedPlugins(PluginCatalog catalog) {
		return catalog.loaded().stream().map(PluginReport::plugin).map(Objects::requireNonNull).toList();
	}

	/**
	 * Without WebFlux (or when the WebClient configuration backs off) guests get no network.
	 * Declared after the nested configurations, which Spring processes first.
	 */
	@Bean
	@ConditionalOnMissingBean(HttpGateway.class)
	HttpGateway grainHttpGateway(GrainPluginsProperties properties) {
		boolean anyAllowList = properties.getPlugin()
			.values()
			.stream()
			.anyMatch((plugin) -> !plugin.getHttp().getAllow().isEmpty());
		if (anyAllowList) {
			logger.warn("grain.plugins.plugin.*.http.allow is set but WebFlux (spring-webflux and "
					+ "reactor-netty-http) is not on the class path: every guest HTTP request is refused");
		}
		return HttpGateway.denyAll();
	}

	/**
	 * The per-plugin allow-lists of {@code grain.plugins.plugin.<name>.http.allow}.
	 */
	static EgressPolicy egressPolicy(GrainPluginsProperties properties) {
		Map<String, List<String>> patterns = new LinkedHashMap<>();
		properties.getPlugin().forEach((name, plugin) -> patterns.put(name, plugin.getHttp().getAllow()));
		return EgressPolicy.of(patterns);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ WebClient.class, HttpClient.class })
	static class WebClientGatewayConfiguration {

		@Bean
		@ConditionalOnMissingBean(HttpGateway.class)
		WebClientHttpGateway grainHttpGateway(GrainPluginsProperties properties,
				ObjectProvider<WebClient.Builder> builders, ObjectProvider<HostResolver> resolvers) {
			GrainPluginsProperties.Http http = properties.getHttp();
			return new WebClientHttpGateway(builders.getIfAvailable(WebClient::builder), egressPolicy(properties),
					resolvers.getIfAvailable(HostResolver::system), http.getTimeout(), http.getMaxResponseSize(),
					http.getMaxRedirects());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "tools.jackson.databind.JacksonModule")
	static class Jackson3Configuration {

		@Bean
		@ConditionalOnMissingBean
		Jackson2JsonNodeModule grainJackson2JsonNodeModule() {
			return new Jackson2JsonNodeModule();
		}

	}

}
