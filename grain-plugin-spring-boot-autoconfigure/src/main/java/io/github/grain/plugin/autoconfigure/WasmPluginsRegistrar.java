package io.github.grain.plugin.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.PluginEngine;
import io.github.grain.plugin.engine.PluginEngineOptions;
import io.github.grain.plugin.engine.PluginSpec;
import io.github.grain.plugin.engine.UntrustedText;
import io.github.grain.plugin.engine.discovery.DiscoveredPlugin;
import io.github.grain.plugin.engine.discovery.ManifestParser;
import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.engine.discovery.PluginDiscovery;
import io.github.grain.plugin.engine.discovery.PluginLoader;
import io.github.grain.plugin.engine.discovery.PluginManifest;
import io.github.grain.plugin.engine.discovery.PluginReport;
import io.github.grain.plugin.engine.discovery.PluginSettings;
import io.github.grain.plugin.engine.host.HttpGateway;
import io.github.grain.plugin.engine.host.HttpOutcome;
import io.github.grain.plugin.engine.wit.ToolDef;
import io.github.grain.plugin.tool.InvalidToolException;
import io.github.grain.plugin.tool.ToolArgumentValidator;
import io.github.grain.plugin.tool.ToolJson;
import io.github.grain.plugin.tool.WasmTool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.core.env.Environment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * Loads the WebAssembly plugins while bean definitions are still being collected, so
 * that each tool can be a bean of its own: {@code grainTool.<plugin>.<tool>} (a
 * {@link WasmTool}), next to {@code grainPluginCatalog} (the {@link PluginCatalog} with
 * every plugin's report). Reads {@code grain.plugins.*} straight from the
 * {@link Environment} because no bean exists yet.
 * <p>
 * The engine is created only when there is a plugin to load. Its HTTP gateway is looked
 * up lazily: a plugin's {@code init} that calls {@code http-*} during loading gets
 * {@code err}, later tool calls reach the application's {@link HttpGateway} bean.
 */
class WasmPluginsRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware, ResourceLoaderAware {

	/** The name of the {@link PluginCatalog} bean. */
	static final String CATALOG_BEAN_NAME = "grainPluginCatalog";

	/** The prefix of WebAssembly tool bean names: {@code grainTool.<plugin>.<tool>}. */
	static final String TOOL_BEAN_PREFIX = "grainTool.";

	private static final Log logger = LogFactory.getLog(WasmPluginsRegistrar.class);

	private @Nullable Environment environment;

	private ResourceLoader resourceLoader = new DefaultResourceLoader();

	private final DeferredHttpGateway gateway = new DeferredHttpGateway();

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setResourceLoader(ResourceLoader resourceLoader) {
		this.resourceLoader = resourceLoader;
	}

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
		GrainPluginsProperties properties = Binder.get(this.environment)
			.bind("grain.plugins", Bindable.of(GrainPluginsProperties.class))
			.orElseGet(GrainPluginsProperties::new);
		PluginCatalog catalog = loadPlugins(properties);
		RootBeanDefinition catalogDefinition = new RootBeanDefinition(PluginCatalog.class, () -> catalog);
		catalogDefinition.setDestroyMethodName("close");
		registry.registerBeanDefinition(CATALOG_BEAN_NAME, catalogDefinition);
		ObjectMapper mapper = ToolJson.newMapper();
		ToolArgumentValidator validator = new ToolArgumentValidator(mapper);
		for (PluginReport report : catalog.loaded()) {
			LoadedPlugin plugin = report.plugin();
			GrainPluginsProperties.Plugin settings = settingsOf(properties, report.name());
			Set<String> readOnly = settings.getReadOnlyTools();
			Set<String> excluded = settings.getExcludeTools();
			for (ToolDef tool : plugin.tools()) {
				if (excluded.contains(tool.name())) {
					if (logger.isDebugEnabled()) {
						logger.debug("Tool '" + tool.name() + "' of plugin '" + plugin.name()
								+ "' is excluded by grain.plugins.plugin." + report.name() + ".exclude-tools");
					}
					continue;
				}
				WasmTool wasmTool;
				try {
					wasmTool = new WasmTool(plugin, tool, readOnly.contains(tool.name()), mapper);
					validator.compile(wasmTool.definition());
				}
				catch (InvalidToolException ex) {
					if (properties.isFailFast()) {
						catalog.close();
						throw ex;
					}
					logger.error(UntrustedText.forLog("Tool '" + tool.name() + "' of plugin '" + plugin.name()
							+ "' is skipped: " + ex.getMessage()));
					continue;
				}
				String beanName = TOOL_BEAN_PREFIX + plugin.name() + "." + tool.name();
				if (registry.containsBeanDefinition(beanName)) {
					logger.error("Tool '" + tool.name() + "' of plugin '" + plugin.name()
							+ "' is declared twice; the second declaration is skipped");
					continue;
				}
				registry.registerBeanDefinition(beanName, new RootBeanDefinition(WasmTool.class, () -> wasmTool));
			}
			warnAboutUnknownTools(report, "read-only-tools", readOnly);
			warnAboutUnknownTools(report, "exclude-tools", excluded);
		}
	}

	private static void warnAboutUnknownTools(PluginReport report, String property, Set<String> names) {
		Set<String> unknown = new LinkedHashSet<>(names);
		unknown.removeAll(report.tools());
		if (!unknown.isEmpty()) {
			logger.warn("grain.plugins.plugin." + report.name() + "." + property + " names tools the plugin does "
					+ "not have: " + unknown);
		}
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
		this.gateway.setBeanFactory(beanFactory);
	}

	private PluginCatalog loadPlugins(GrainPluginsProperties properties) {
		List<Path> directories = new ArrayList<>();
		for (String location : properties.getDirectories()) {
			directories.add(resolveDirectory(location));
		}
		// settings are checked whether or not their plugin is found: a typo fails early
		Map<String, PluginSettings> settings = new HashMap<>();
		properties.getPlugin().forEach((name, plugin) -> settings.put(name, toSettings(name, plugin)));
		PluginEngineOptions options = engineOptions(properties);
		List<DiscoveredPlugin> discovered = new PluginDiscovery(properties.isAllowSymlinks()).discover(directories);
		warnAboutUnknownSettings(properties, discovered);
		discovered.forEach((plugin) -> warnAboutRequestedEgress(plugin, properties));
		LazyEngine engine = new LazyEngine(options);
		List<PluginReport> reports = new PluginLoader(engine::load).loadAll(discovered,
				(name) -> settings.getOrDefault(name, PluginSettings.defaults()));
		PluginCatalog catalog = new PluginCatalog(reports, List.of(engine));
		if (properties.isFailFast()) {
			catalog.requireAllLoaded();
		}
		else if (!catalog.failed().isEmpty()) {
			logger.warn(catalog.failed().size() + " plugin(s) failed to load and are reported as failed: "
					+ catalog.failed().stream().map(PluginReport::name).toList()
					+ " (set grain.plugins.fail-fast=true to stop startup instead)");
		}
		return catalog;
	}

	private PluginEngineOptions engineOptions(GrainPluginsProperties properties) {
		long maxResult = properties.getMaxResultSize().toBytes();
		if (maxResult < 1 || maxResult > Integer.MAX_VALUE) {
			throw new IllegalArgumentException(
					"grain.plugins.max-result-size must be between 1 byte and 2 GB: " + properties.getMaxResultSize());
		}
		return PluginEngineOptions.defaults()
			.withRuntime(properties.getRuntime())
			.withHttpGateway(this.gateway)
			.withCallTimeout(properties.getCallTimeout())
			.withMaxMemoryBytes(properties.getMaxMemory().toBytes())
			.withMaxResultBytes((int) maxResult)
			.withMaxConcurrentCallsPerPlugin(properties.effectiveMaxConcurrentCallsPerPlugin())
			.withCompilationCache(properties.getCompilationCache().isEnabled()
					? properties.getCompilationCache().getDirectory() : null);
	}

	static PluginSettings toSettings(String name, GrainPluginsProperties.Plugin plugin) {
		Set<Capability> capabilities = null;
		if (plugin.getCapabilities() != null) {
			capabilities = new LinkedHashSet<>();
			for (String capability : plugin.getCapabilities()) {
				capabilities.add(Capability.fromWireName(capability, "grain.plugins.plugin." + name + ".capabilities"));
			}
		}
		return new PluginSettings(plugin.isEnabled(), capabilities, plugin.getEnv(), plugin.getHttp().getAllow(),
				plugin.getReadOnlyTools(), plugin.getCallTimeout(),
				(plugin.getMaxMemory() != null) ? plugin.getMaxMemory().toBytes() : null);
	}

	private static GrainPluginsProperties.Plugin settingsOf(GrainPluginsProperties properties, String name) {
		GrainPluginsProperties.Plugin plugin = properties.getPlugin().get(name);
		return (plugin != null) ? plugin : new GrainPluginsProperties.Plugin();
	}

	private static void warnAboutUnknownSettings(GrainPluginsProperties properties, List<DiscoveredPlugin> discovered) {
		Set<String> unknown = new LinkedHashSet<>(properties.getPlugin().keySet());
		discovered.forEach((plugin) -> unknown.remove(plugin.name()));
		if (!unknown.isEmpty()) {
			logger.warn("grain.plugins.plugin has settings for plugins that were not found: " + unknown);
		}
	}

	private static void warnAboutRequestedEgress(DiscoveredPlugin plugin, GrainPluginsProperties properties) {
		PluginManifest manifest = plugin.manifest();
		if (manifest == null || manifest.requestedHttpAllow().isEmpty()) {
			return;
		}
		List<String> granted = settingsOf(properties, plugin.name()).getHttp().getAllow();
		List<String> missing = manifest.requestedHttpAllow().stream().filter((p) -> !granted.contains(p)).toList();
		if (!missing.isEmpty()) {
			logger.info(UntrustedText.forLog("Plugin '" + plugin.name() + "' requests HTTP egress to " + missing
					+ " which is not granted; grant it with grain.plugins.plugin." + plugin.name() + ".http.allow"));
		}
	}

	/**
	 * A file-system directory for a configured location; {@code classpath:} locations are
	 * copied (each {@code <name>/plugin.toml} and the module it names) to a temporary
	 * directory deleted when the JVM exits.
	 */
	private Path resolveDirectory(String location) {
		String classpathPrefix = ResourceLoader.CLASSPATH_URL_PREFIX;
		if (!location.startsWith(classpathPrefix)) {
			return Path.of(location);
		}
		String base = location.substring(classpathPrefix.length());
		base = base.startsWith("/") ? base.substring(1) : base;
		base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
		ResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(this.resourceLoader);
		try {
			Resource[] manifests = resolver
				.getResources(ResourcePatternResolver.CLASSPATH_ALL_URL_PREFIX + base + "/*/" + PluginManifest.FILE_NAME);
			Path target = Files.createTempDirectory("grain-plugins-");
			target.toFile().deleteOnExit();
			ManifestParser parser = new ManifestParser();
			for (Resource manifest : manifests) {
				String pluginName = pluginDirectoryName(manifest);
				Path pluginDir = Files.createDirectories(target.resolve(pluginName));
				Path manifestFile = copy(manifest, pluginDir.resolve(PluginManifest.FILE_NAME));
				String module = PluginManifest.DEFAULT_MODULE;
				try {
					Path modulePath = parser.parse(pluginDir, manifestFile).module();
					module = pluginDir.relativize(modulePath).toString().replace('\\', '/');
				}
				catch (RuntimeException ex) {
					// reported as a failed plugin by discovery
				}
				Resource moduleResource = manifest.createRelative(module);
				if (moduleResource.exists()) {
					Path moduleFile = pluginDir.resolve(module);
					Files.createDirectories(moduleFile.getParent());
					copy(moduleResource, moduleFile);
				}
			}
			deleteOnExit(target);
			return target;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Plugin directory '" + location + "' cannot be read", ex);
		}
	}

	private static String pluginDirectoryName(Resource manifest) throws IOException {
		String url = manifest.getURL().toString();
		String withoutFile = url.substring(0, url.length() - PluginManifest.FILE_NAME.length() - 1);
		return withoutFile.substring(withoutFile.lastIndexOf('/') + 1);
	}

	private static Path copy(Resource resource, Path target) throws IOException {
		try (InputStream in = resource.getInputStream()) {
			Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
		}
		return target;
	}

	private static void deleteOnExit(Path root) throws IOException {
		try (Stream<Path> paths = Files.walk(root)) {
			paths.forEach((path) -> path.toFile().deleteOnExit());
		}
	}

	/** Creates the engine on the first plugin to load; closing closes it if it exists. */
	private static final class LazyEngine implements AutoCloseable {

		private final PluginEngineOptions options;

		private @Nullable PluginEngine engine;

		LazyEngine(PluginEngineOptions options) {
			this.options = options;
		}

		LoadedPlugin load(PluginSpec spec) {
			if (this.engine == null) {
				this.engine = new PluginEngine(this.options);
			}
			return this.engine.load(spec);
		}

		@Override
		public void close() {
			if (this.engine != null) {
				this.engine.close();
			}
		}

	}

	/**
	 * The engine's gateway while bean definitions are collected: refuses until the bean
	 * factory's configuration is frozen, then delegates to the {@link HttpGateway} bean.
	 */
	static final class DeferredHttpGateway implements HttpGateway {

		private volatile @Nullable ConfigurableListableBeanFactory beanFactory;

		private volatile @Nullable HttpGateway delegate;

		void setBeanFactory(ConfigurableListableBeanFactory beanFactory) {
			this.beanFactory = beanFactory;
		}

		@Override
		public HttpOutcome send(io.github.grain.plugin.engine.host.HttpRequest request) {
			HttpGateway target = this.delegate;
			if (target == null) {
				ConfigurableListableBeanFactory factory = this.beanFactory;
				if (factory == null || !factory.isConfigurationFrozen()) {
					return new HttpOutcome.Failure("http is not available while plugins are being loaded");
				}
				target = factory.getBeanProvider(HttpGateway.class).getIfAvailable(HttpGateway::denyAll);
				this.delegate = target;
			}
			return target.send(request);
		}

	}

}
