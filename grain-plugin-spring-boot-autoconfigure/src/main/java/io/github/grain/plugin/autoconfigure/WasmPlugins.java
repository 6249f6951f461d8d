package io.github.grain.plugin.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.LivePlugin;
import io.github.grain.plugin.engine.LoadedPlugin;
import io.github.grain.plugin.engine.PluginEngine;
import io.github.grain.plugin.engine.PluginEngineOptions;
import io.github.grain.plugin.engine.UntrustedText;
import io.github.grain.plugin.engine.discovery.DiscoveredPlugin;
import io.github.grain.plugin.engine.discovery.ManifestParser;
import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.engine.discovery.PluginDiscovery;
import io.github.grain.plugin.engine.discovery.PluginLoader;
import io.github.grain.plugin.engine.discovery.PluginManifest;
import io.github.grain.plugin.engine.discovery.PluginReport;
import io.github.grain.plugin.engine.discovery.PluginSettings;
import io.github.grain.plugin.engine.discovery.PluginSource;
import io.github.grain.plugin.engine.host.HttpGateway;
import io.github.grain.plugin.engine.wit.ToolDef;
import io.github.grain.plugin.tool.InvalidToolException;
import io.github.grain.plugin.tool.ToolArgumentValidator;
import io.github.grain.plugin.tool.ToolJson;
import io.github.grain.plugin.tool.WasmTool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * What the auto-configuration's plugin beans do: turn {@code grain.plugins.*} into engine
 * options and plugin settings, discover and load the plugins ({@code classpath:} locations
 * copied to a temporary directory first), and make a {@link WasmTool} of every tool a
 * loaded plugin offers.
 */
final class WasmPlugins {

	/** The prefix of WebAssembly tool bean names: {@code grainTool.<plugin>.<tool>}. */
	static final String TOOL_BEAN_PREFIX = "grainTool.";

	private static final Log logger = LogFactory.getLog(WasmPlugins.class);

	/** What the binder leaves of a placeholder it could not resolve: {@code ${NAME}} or {@code ${NAME:…}}. */
	private static final Pattern UNRESOLVED_PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)[^}]*}");

	private WasmPlugins() {
	}

	/**
	 * One {@link WasmTool} per tool of every loaded plugin, keyed by its bean name
	 * {@code grainTool.<plugin>.<tool>}, minus excluded tools. A tool whose schema is invalid
	 * fails startup with fail-fast, else it is skipped with an error.
	 */
	static Map<String, WasmTool> tools(PluginCatalog catalog, GrainPluginsProperties properties) {
		Map<String, WasmTool> tools = new LinkedHashMap<>();
		for (PluginReport report : catalog.loaded()) {
			LivePlugin live = catalog.live(report.name()).orElseThrow();
			for (WasmTool tool : tools(report, live, properties, properties.isFailFast())) {
				tools.put(TOOL_BEAN_PREFIX + report.name() + "." + tool.definition().name(), tool);
			}
		}
		return tools;
	}

	/**
	 * The tools of one loaded plugin, minus excluded ones, each calling the version that
	 * serves at the time.
	 * @param failFast whether a tool with an invalid schema throws rather than being skipped
	 */
	static List<WasmTool> tools(PluginReport report, LivePlugin live, GrainPluginsProperties properties,
			boolean failFast) {
		ObjectMapper mapper = ToolJson.newMapper();
		ToolArgumentValidator validator = new ToolArgumentValidator(mapper);
		LoadedPlugin plugin = live.current();
		GrainPluginsProperties.Plugin settings = settingsOf(properties, report.name());
		Set<String> readOnly = settings.getReadOnlyTools();
		Set<String> excluded = settings.getExcludeTools();
		Map<String, WasmTool> tools = new LinkedHashMap<>();
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
				wasmTool = new WasmTool(live, tool, readOnly.contains(tool.name()), mapper);
				validator.compile(wasmTool.definition());
			}
			catch (InvalidToolException ex) {
				if (failFast) {
					throw ex;
				}
				logger.error(UntrustedText.forLog("Tool '" + tool.name() + "' of plugin '" + plugin.name()
						+ "' is skipped: " + ex.getMessage()));
				continue;
			}
			if (tools.putIfAbsent(tool.name(), wasmTool) != null) {
				logger.error("Tool '" + tool.name() + "' of plugin '" + plugin.name()
						+ "' is declared twice; the second declaration is skipped");
			}
		}
		warnAboutUnknownTools(report, "read-only-tools", readOnly);
		warnAboutUnknownTools(report, "exclude-tools", excluded);
		return List.copyOf(tools.values());
	}

	private static void warnAboutUnknownTools(PluginReport report, String property, Set<String> names) {
		Set<String> unknown = new LinkedHashSet<>(names);
		unknown.removeAll(report.tools());
		if (!unknown.isEmpty()) {
			logger.warn("grain.plugins.plugin." + report.name() + "." + property + " names tools the plugin does "
					+ "not have: " + unknown);
		}
	}

	/**
	 * Discover the plugins in {@code grain.plugins.directories} and load them with the engine.
	 * @throws io.github.grain.plugin.engine.InvalidPluginException with fail-fast when any plugin failed
	 */
	static PluginCatalog loadPlugins(GrainPluginsProperties properties, PluginEngine engine,
			ResourceLoader resourceLoader) {
		List<Path> directories = new ArrayList<>();
		for (String location : properties.getDirectories()) {
			directories.add(resolveDirectory(location, resourceLoader));
		}
		// settings are checked whether or not their plugin is found: a typo fails early
		Map<String, PluginSettings> settings = new HashMap<>();
		properties.getPlugin().forEach((name, plugin) -> settings.put(name, toSettings(name, plugin)));
		PluginDiscovery discovery = new PluginDiscovery(properties.isAllowSymlinks());
		List<DiscoveredPlugin> discovered = discovery.discover(directories);
		warnAboutUnknownSettings(properties, discovered);
		discovered.forEach((plugin) -> warnAboutRequestedEgress(plugin, properties));
		PluginSource source = new PluginSource(directories, discovery,
				new PluginLoader(engine::load, properties.isRequireDigest(), engine.options().runtime(),
						loadParallelism(properties)),
				(name) -> settings.getOrDefault(name, PluginSettings.defaults()));
		List<PluginReport> reports = source.loadAll(discovered);
		PluginCatalog catalog = new PluginCatalog(reports, List.of(), source);
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

	static int loadParallelism(GrainPluginsProperties properties) {
		Integer parallelism = properties.getLoadParallelism();
		if (parallelism == null) {
			return PluginLoader.defaultParallelism();
		}
		if (parallelism < 1) {
			throw new InvalidGrainPluginsPropertyException("grain.plugins.load-parallelism", parallelism.toString(),
					"must be at least 1", "Set it to 1 to load plugins one after another, or leave it unset to "
							+ "compile one per available processor at the same time.", null);
		}
		return parallelism;
	}

	/** The engine options {@code grain.plugins.*} sets, guests reaching the network through the gateway. */
	static PluginEngineOptions engineOptions(GrainPluginsProperties properties, HttpGateway gateway) {
		long maxResult = properties.getMaxResultSize().toBytes();
		if (maxResult < 1 || maxResult > Integer.MAX_VALUE) {
			throw new IllegalArgumentException(
					"grain.plugins.max-result-size must be between 1 byte and 2 GB: " + properties.getMaxResultSize());
		}
		long maxLog = properties.getMaxLogSizePerCall().toBytes();
		if (maxLog < 0 || maxLog > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("grain.plugins.max-log-size-per-call must be between 0 bytes and 2 GB: "
					+ properties.getMaxLogSizePerCall());
		}
		Duration busyWait = properties.getBusyWait();
		if (busyWait != null && busyWait.isNegative()) {
			throw new InvalidGrainPluginsPropertyException("grain.plugins.busy-wait", busyWait.toString(),
					"must not be negative", "Set it to 0 to refuse a busy plugin's calls at once, or leave it unset "
							+ "to let them wait as long as their deadline allows.", null);
		}
		return PluginEngineOptions.defaults()
			.withMaxLogBytesPerCall((int) maxLog)
			.withInstancesPerStore(properties.getWasmtime().getInstancesPerStore())
			.withRuntime(properties.getRuntime())
			.withHttpGateway(gateway)
			.withCallTimeout(properties.getCallTimeout())
			.withMaxMemoryBytes(properties.getMaxMemory().toBytes())
			.withMaxResultBytes((int) maxResult)
			.withMaxConcurrentCallsPerPlugin(properties.effectiveMaxConcurrentCallsPerPlugin())
			.withMaxWaitingCallsPerPlugin(properties.getExecution().getQueueCapacity())
			.withBusyWait(busyWait)
			.withCompilationCache(properties.getCompilationCache().isEnabled()
					? properties.getCompilationCache().getDirectory() : null,
					properties.getCompilationCache().getMaxSize().toBytes());
	}

	static PluginSettings toSettings(String name, GrainPluginsProperties.Plugin plugin) {
		Set<Capability> capabilities = null;
		if (plugin.getCapabilities() != null) {
			capabilities = new LinkedHashSet<>();
			String property = "grain.plugins.plugin." + name + ".capabilities";
			for (String capability : plugin.getCapabilities()) {
				try {
					capabilities.add(Capability.fromWireName(capability, property));
				}
				catch (InvalidPluginException ex) {
					String known = Stream.of(Capability.values()).map(Capability::wireName).collect(Collectors.joining(", "));
					throw new InvalidGrainPluginsPropertyException(property, capability,
							"is not a capability this host knows (" + known + ")",
							"Grant only known capabilities: " + known + ".", ex);
				}
			}
		}
		plugin.getEnv().forEach((key, value) -> requireResolved("grain.plugins.plugin." + name + ".env." + key, value));
		try {
			return new PluginSettings(plugin.isEnabled(), capabilities, plugin.getEnv(), plugin.getHttp().getAllow(),
					plugin.getReadOnlyTools(), plugin.getCallTimeout(),
					(plugin.getMaxMemory() != null) ? plugin.getMaxMemory().toBytes() : null, plugin.getRuntime(),
					plugin.getSha256());
		}
		catch (IllegalArgumentException ex) {
			// the settings check the pinned digest's form
			throw new InvalidGrainPluginsPropertyException("grain.plugins.plugin." + name + ".sha256", plugin.getSha256(),
					"is not a SHA-256 digest (" + ex.getMessage() + ")",
					"Pin the module's lower-case hex SHA-256, as the plugin's report or the grainplugins endpoint shows it.",
					ex);
		}
	}

	/**
	 * The binder leaves a placeholder it cannot resolve as it was written: the plugin would
	 * read {@code ${WEATHER_API_KEY}} instead of a key, and fail far from the cause.
	 */
	private static void requireResolved(String property, String value) {
		Matcher placeholder = UNRESOLVED_PLACEHOLDER.matcher(value);
		if (placeholder.find()) {
			String missing = placeholder.group(1).trim();
			throw new InvalidGrainPluginsPropertyException(property, value,
					"has a placeholder that does not resolve ('" + missing + "' is not set): the plugin would read "
							+ "the literal text",
					"Set '" + missing + "' (an environment variable or a property), give the placeholder a default "
							+ "such as ${" + missing + ":}, or remove the entry.",
					null);
		}
	}

	static GrainPluginsProperties.Plugin settingsOf(GrainPluginsProperties properties, String name) {
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
	private static Path resolveDirectory(String location, ResourceLoader resourceLoader) {
		String classpathPrefix = ResourceLoader.CLASSPATH_URL_PREFIX;
		if (!location.startsWith(classpathPrefix)) {
			return Path.of(location);
		}
		String base = location.substring(classpathPrefix.length());
		base = base.startsWith("/") ? base.substring(1) : base;
		base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
		ResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(resourceLoader);
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

}
