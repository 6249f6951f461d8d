package io.github.grain.plugin.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.grain.plugin.egress.EgressListener;
import io.github.grain.plugin.egress.EgressPolicy;
import io.github.grain.plugin.egress.EgressRule;
import io.github.grain.plugin.egress.HostResolver;
import io.github.grain.plugin.spring.GrainPluginEngineCustomizer;
import io.github.grain.plugin.spring.http.WebClientHttpGateway;
import io.github.grain.plugin.spring.event.ApplicationEventHookListener;
import io.github.grain.plugin.spring.event.ApplicationEventToolCallObserver;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.PluginEngine;
import io.github.grain.plugin.engine.PluginEngineOptions;
import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.engine.discovery.PluginReport;
import io.github.grain.plugin.engine.host.HttpGateway;
import io.github.grain.plugin.orchestration.HookCallObserver;
import io.github.grain.plugin.orchestration.HookDispatcher;
import io.github.grain.plugin.orchestration.HookListener;
import io.github.grain.plugin.orchestration.HostActionLimits;
import io.github.grain.plugin.orchestration.HostActionValidator;
import io.github.grain.plugin.orchestration.ModelCatalogue;
import io.github.grain.plugin.tool.CallRateLimiter;
import io.github.grain.plugin.tool.DefaultToolRegistry;
import io.github.grain.plugin.tool.SandboxPolicy;
import io.github.grain.plugin.tool.ToolApprovalHandler;
import io.github.grain.plugin.tool.ToolCallObserver;
import io.github.grain.plugin.tool.ToolJson;
import io.github.grain.plugin.tool.ToolRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.BeanFactoryInitializer;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
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

	/**
	 * The engine, built with the application's {@link HttpGateway} (so a plugin's
	 * {@code init} may use {@code http-*} when granted), then adjusted by every
	 * {@link GrainPluginEngineCustomizer}. Its runtime starts with it.
	 */
	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	PluginEngine grainPluginEngine(GrainPluginsProperties properties, HttpGateway grainHttpGateway,
			ObjectProvider<GrainPluginEngineCustomizer> customizers) {
		PluginEngineOptions options = WasmPlugins.engineOptions(properties, grainHttpGateway);
		for (GrainPluginEngineCustomizer customizer : customizers.orderedStream().toList()) {
			options = customizer.customize(options);
		}
		return new PluginEngine(options);
	}

	/** Every plugin found in {@code grain.plugins.directories}, loaded with the engine. */
	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	PluginCatalog grainPluginCatalog(GrainPluginsProperties properties, PluginEngine engine,
			ResourceLoader resourceLoader) {
		return WasmPlugins.loadPlugins(properties, engine, resourceLoader);
	}

	/**
	 * Loads the plugins (and registers their tool beans) as the first ordinary singletons,
	 * once every bean post-processor exists, so the application's beans can inject a
	 * {@code grainTool.<plugin>.<tool>} bean wherever they are declared.
	 */
	@Bean
	static BeanFactoryInitializer<ListableBeanFactory> grainWasmToolBeansInitializer() {
		return (beanFactory) -> beanFactory.getBeanProvider(WasmToolBeans.class).getIfAvailable();
	}

	/**
	 * The catalog's tools, each a singleton bean {@code grainTool.<plugin>.<tool>} from
	 * here on; {@link GrainToolBeanRegistrar} puts them in the registry with the other
	 * {@code Tool} beans.
	 */
	@Bean
	WasmToolBeans grainWasmTools(PluginCatalog catalog, GrainPluginsProperties properties,
			ConfigurableListableBeanFactory beanFactory) {
		WasmToolBeans tools = new WasmToolBeans(WasmPlugins.tools(catalog, properties));
		tools.byBeanName().forEach((name, tool) -> {
			if (beanFactory.containsBean(name)) {
				throw new IllegalStateException("A bean named '" + name + "' already exists: it would hide tool '"
						+ tool.definition().name() + "' of plugin '" + tool.definition().source() + "'");
			}
			beanFactory.registerSingleton(name, tool);
		});
		return tools;
	}

	/** The registry follows the catalog while the application runs; catalog changes become events. */
	@Bean
	PluginCatalogFollower grainPluginCatalogFollower(PluginCatalog catalog, ToolRegistry toolRegistry,
			GrainPluginsProperties properties, ApplicationEventPublisher publisher) {
		PluginCatalogFollower follower = new PluginCatalogFollower(catalog, toolRegistry, properties, publisher);
		catalog.addListener(follower);
		return follower;
	}

	@Bean
	@ConditionalOnBooleanProperty("grain.plugins.watch.enabled")
	GrainPluginWatcher grainPluginWatcher(PluginCatalog catalog, GrainPluginsProperties properties) {
		List<Path> directories = properties.getDirectories()
			.stream()
			.filter((location) -> !location.startsWith(ResourceLoader.CLASSPATH_URL_PREFIX))
			.map(Path::of)
			.toList();
		return new GrainPluginWatcher(catalog, directories, properties.getWatch().getDebounce());
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
		boolean readOnly = properties.getSandbox().isReadOnly();
		String property = "grain.plugins.sandbox.root";
		String action = "Point " + property + " at a directory this process may create and "
				+ (readOnly ? "read" : "write") + ", or leave it unset to refuse every path.";
		try {
			Files.createDirectories(root);
		}
		catch (IOException ex) {
			throw new InvalidGrainPluginsPropertyException(property, root.toString(), "cannot be created (" + ex + ")",
					action, ex);
		}
		if (!Files.isReadable(root) || (!readOnly && !Files.isWritable(root))) {
			throw new InvalidGrainPluginsPropertyException(property, root.toString(),
					"is not " + (readOnly ? "readable" : "readable and writable") + " by this process", action, null);
		}
		GrainPluginsProperties.Sandbox sandbox = properties.getSandbox();
		return (sandbox.isReadOnly() ? SandboxPolicy.readOnly(root) : SandboxPolicy.rootedAt(root))
			.withQuota(sandbox.getMaxBytes().toBytes(), sandbox.getMaxFiles());
	}

	@Bean
	@ConditionalOnMissingBean(ToolRegistry.class)
	DefaultToolRegistry toolRegistry(GrainPluginsProperties properties, ToolApprovalHandler approvalHandler,
			SandboxPolicy sandbox, ObjectProvider<ToolCallObserver> observer, ApplicationEventPublisher publisher) {
		GrainPluginsProperties.Execution execution = properties.getExecution();
		DefaultToolRegistry.Builder builder = DefaultToolRegistry.builder()
			.mapper(ToolJson.newMapper())
			.executor(DefaultToolRegistry.newExecutor(execution.getThreads(), execution.getQueueCapacity()))
			.maxConcurrentCalls(execution.getThreads())
			.callTimeout(properties.getCallTimeout())
			.maxArgumentsBytes(properties.getMaxArgumentsSize().toBytes())
			.approvalHandler(approvalHandler)
			.sandbox(sandbox)
			.observer(ToolCallObserver.all(List.of(observer.getIfAvailable(() -> ToolCallObserver.NONE),
					new ApplicationEventToolCallObserver(publisher))));
		GrainPluginsProperties.RateLimit rateLimit = properties.getRateLimit();
		if (rateLimit.isEnabled()) {
			builder.rateLimiter(rateLimiter(rateLimit));
		}
		if (REACTOR_PRESENT) {
			builder.callerMayBlock(ReactorThreads::mayBlock);
		}
		return builder.build();
	}

	static CallRateLimiter rateLimiter(GrainPluginsProperties.RateLimit rateLimit) {
		String action = "Give grain.plugins.rate-limit.calls-per-second a positive number and "
				+ "grain.plugins.rate-limit.burst a whole number of at least 1, or turn the limit off with "
				+ "grain.plugins.rate-limit.enabled=false.";
		if (!(rateLimit.getCallsPerSecond() > 0) || Double.isInfinite(rateLimit.getCallsPerSecond())) {
			throw new InvalidGrainPluginsPropertyException("grain.plugins.rate-limit.calls-per-second",
					String.valueOf(rateLimit.getCallsPerSecond()), "is not a positive number", action, null);
		}
		if (rateLimit.getBurst() < 1) {
			throw new InvalidGrainPluginsPropertyException("grain.plugins.rate-limit.burst",
					String.valueOf(rateLimit.getBurst()), "allows no call at all", action, null);
		}
		return CallRateLimiter.perCaller(rateLimit.getCallsPerSecond(), rateLimit.getBurst());
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
	HookDispatcher hookDispatcher(PluginCatalog catalog, HostActionValidator validator, HookListener listener,
			ObjectProvider<HookCallObserver> observer) {
		return new HookDispatcher(() -> loadedPlugins(catalog), validator, listener,
				observer.getIfAvailable(() -> HookCallObserver.NONE));
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
		properties.getPlugin().forEach((name, plugin) -> {
			String property = "grain.plugins.plugin." + name + ".http.allow";
			for (String pattern : plugin.getHttp().getAllow()) {
				try {
					EgressRule.parse(pattern, property);
				}
				catch (IllegalArgumentException ex) {
					// the parser's message names the property and the pattern, which the exception shows anyway
					String problem = String.valueOf(ex.getMessage());
					int quoted = problem.lastIndexOf("': ");
					throw new InvalidGrainPluginsPropertyException(property, pattern,
							"is not an allow-list pattern: " + ((quoted >= 0) ? problem.substring(quoted + 3) : problem),
							"Write each origin as scheme://host[:port] (http or https; *.example.com for sub-domains, "
									+ ":* for any port), without path, query or user.",
							ex);
				}
			}
			patterns.put(name, plugin.getHttp().getAllow());
		});
		return EgressPolicy.of(patterns);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ WebClient.class, HttpClient.class })
	static class WebClientGatewayConfiguration {

		@Bean
		@ConditionalOnMissingBean(HttpGateway.class)
		WebClientHttpGateway grainHttpGateway(GrainPluginsProperties properties,
				ObjectProvider<WebClient.Builder> builders, ObjectProvider<HostResolver> resolvers,
				ObjectProvider<EgressListener> egressListeners) {
			GrainPluginsProperties.Http http = properties.getHttp();
			return new WebClientHttpGateway(builders.getIfAvailable(WebClient::builder), egressPolicy(properties),
					resolvers.getIfAvailable(HostResolver::system), http.getTimeout(), http.getMaxResponseSize(),
					http.getMaxRedirects(), egressListeners.getIfAvailable(() -> EgressListener.NONE));
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
