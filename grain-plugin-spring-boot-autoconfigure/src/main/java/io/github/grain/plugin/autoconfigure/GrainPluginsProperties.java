package io.github.grain.plugin.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.grain.plugin.engine.WasmRuntimeKind;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of hosted plugins and tools ({@code grain.plugins.*}).
 */
@ConfigurationProperties("grain.plugins")
public class GrainPluginsProperties {

	/**
	 * Whether to host plugins and tools at all.
	 */
	private boolean enabled = true;

	/**
	 * Directories searched for plugins (each holding <name>/plugin.toml), in priority
	 * order. A "classpath:" location is copied to a temporary directory first.
	 */
	private List<String> directories = new ArrayList<>(List.of(".grain/plugins"));

	/**
	 * Whether startup fails when a plugin cannot be loaded. Otherwise the plugin is logged
	 * and reported as failed while the others serve.
	 */
	private boolean failFast = false;

	/**
	 * Whether every plugin must have its module's digest pinned
	 * (grain.plugins.plugin.<name>.sha256); plugins without one are refused.
	 */
	private boolean requireDigest = false;

	/**
	 * How many plugins are compiled at the same time when the plugin directories are
	 * loaded (at startup and on a rescan). Unset: one per available processor; 1 loads
	 * them one after another. They are registered in discovery order either way.
	 */
	private @Nullable Integer loadParallelism;

	/**
	 * Whether a plugin's directory, manifest or module may be a symbolic link leading
	 * outside its plugin directory. Otherwise such a plugin is reported failed and nothing
	 * of the file it points to is read.
	 */
	private boolean allowSymlinks = false;

	/**
	 * WebAssembly runtime plugins run on: wasmtime (native, via JNI), chicory (pure Java),
	 * or auto (per plugin: chicory below 1 MiB of code, wasmtime from there on).
	 */
	private WasmRuntimeKind runtime = WasmRuntimeKind.WASMTIME;

	/**
	 * Deadline of every guest call (init, tool and hook calls) and of every call to a
	 * bean tool; a call past it is interrupted, and a bean tool's caller is answered with
	 * an error even if the method never returns.
	 */
	private Duration callTimeout = Duration.ofSeconds(10);

	/**
	 * Maximum linear memory of one plugin instance.
	 */
	private DataSize maxMemory = DataSize.ofMegabytes(64);

	/**
	 * Maximum size of a string or list a plugin hands back.
	 */
	private DataSize maxResultSize = DataSize.ofMegabytes(16);

	/**
	 * Maximum size of a tool call's arguments, as JSON; a larger call is answered with an
	 * error result naming both sizes and never runs. Applies to every caller of the tool
	 * registry.
	 */
	private DataSize maxArgumentsSize = DataSize.ofMegabytes(1);

	/**
	 * Calls one plugin may have in flight; further calls wait their turn (see busy-wait)
	 * without holding a thread, at most execution.queue-capacity of them per plugin.
	 * Defaults to half of execution.threads (at least 1): a plugin whose calls all run to
	 * their deadline still leaves the other half of the threads to everyone else.
	 */
	private @Nullable Integer maxConcurrentCallsPerPlugin;

	/**
	 * How long a call may wait for one of its plugin's call slots
	 * (max-concurrent-calls-per-plugin) before it is answered with a busy result saying
	 * when to retry. Unset: as long as the call's deadline (call-timeout) allows, the wait
	 * counting against it; 0: refused at once.
	 */
	private @Nullable Duration busyWait;

	/**
	 * Guest log output one call may write (log import, stdout, stderr); the rest is
	 * dropped with one warning.
	 */
	private DataSize maxLogSizePerCall = DataSize.ofKilobytes(64);

	private final Wasmtime wasmtime = new Wasmtime();

	private final Watch watch = new Watch();

	private final Execution execution = new Execution();

	private final RateLimit rateLimit = new RateLimit();

	private final Http http = new Http();

	private final Sandbox sandbox = new Sandbox();

	private final Approval approval = new Approval();

	private final Hooks hooks = new Hooks();

	private final CompilationCache compilationCache = new CompilationCache();

	/**
	 * Per-plugin settings, keyed by plugin name.
	 */
	private Map<String, Plugin> plugin = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public List<String> getDirectories() {
		return this.directories;
	}

	public void setDirectories(List<String> directories) {
		this.directories = directories;
	}

	public boolean isRequireDigest() {
		return this.requireDigest;
	}

	public void setRequireDigest(boolean requireDigest) {
		this.requireDigest = requireDigest;
	}

	public @Nullable Integer getLoadParallelism() {
		return this.loadParallelism;
	}

	public void setLoadParallelism(@Nullable Integer loadParallelism) {
		this.loadParallelism = loadParallelism;
	}

	public boolean isFailFast() {
		return this.failFast;
	}

	public void setFailFast(boolean failFast) {
		this.failFast = failFast;
	}

	public boolean isAllowSymlinks() {
		return this.allowSymlinks;
	}

	public void setAllowSymlinks(boolean allowSymlinks) {
		this.allowSymlinks = allowSymlinks;
	}

	public WasmRuntimeKind getRuntime() {
		return this.runtime;
	}

	public void setRuntime(WasmRuntimeKind runtime) {
		this.runtime = runtime;
	}

	public Duration getCallTimeout() {
		return this.callTimeout;
	}

	public @Nullable Integer getMaxConcurrentCallsPerPlugin() {
		return this.maxConcurrentCallsPerPlugin;
	}

	/** The configured limit, or half of the execution threads (at least 1). */
	public int effectiveMaxConcurrentCallsPerPlugin() {
		return (this.maxConcurrentCallsPerPlugin != null) ? this.maxConcurrentCallsPerPlugin
				: Math.max(1, this.execution.getThreads() / 2);
	}

	public void setMaxConcurrentCallsPerPlugin(@Nullable Integer maxConcurrentCallsPerPlugin) {
		this.maxConcurrentCallsPerPlugin = maxConcurrentCallsPerPlugin;
	}

	public @Nullable Duration getBusyWait() {
		return this.busyWait;
	}

	public void setBusyWait(@Nullable Duration busyWait) {
		this.busyWait = busyWait;
	}

	public void setCallTimeout(Duration callTimeout) {
		this.callTimeout = callTimeout;
	}

	public DataSize getMaxMemory() {
		return this.maxMemory;
	}

	public void setMaxMemory(DataSize maxMemory) {
		this.maxMemory = maxMemory;
	}

	public DataSize getMaxResultSize() {
		return this.maxResultSize;
	}

	public void setMaxResultSize(DataSize maxResultSize) {
		this.maxResultSize = maxResultSize;
	}

	public DataSize getMaxLogSizePerCall() {
		return this.maxLogSizePerCall;
	}

	public void setMaxLogSizePerCall(DataSize maxLogSizePerCall) {
		this.maxLogSizePerCall = maxLogSizePerCall;
	}

	public Wasmtime getWasmtime() {
		return this.wasmtime;
	}

	public Watch getWatch() {
		return this.watch;
	}

	/**
	 * Hot reload: the plugin directories are watched while the application runs.
	 */
	public static class Watch {

		/**
		 * Whether new, changed and removed plugin directories are loaded, reloaded and
		 * unloaded while the application runs (classpath: locations are not watched).
		 */
		private boolean enabled = false;

		/**
		 * How long changes must have settled before the directories are rescanned.
		 */
		private Duration debounce = Duration.ofMillis(300);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getDebounce() {
			return this.debounce;
		}

		public void setDebounce(Duration debounce) {
			this.debounce = debounce;
		}

	}

	public DataSize getMaxArgumentsSize() {
		return this.maxArgumentsSize;
	}

	public void setMaxArgumentsSize(DataSize maxArgumentsSize) {
		this.maxArgumentsSize = maxArgumentsSize;
	}

	public Execution getExecution() {
		return this.execution;
	}

	public Http getHttp() {
		return this.http;
	}

	public Sandbox getSandbox() {
		return this.sandbox;
	}

	public Approval getApproval() {
		return this.approval;
	}

	public Hooks getHooks() {
		return this.hooks;
	}

	public CompilationCache getCompilationCache() {
		return this.compilationCache;
	}

	/**
	 * Settings of the wasmtime runtime only.
	 */
	public static class Wasmtime {

		/**
		 * Fresh instances served by one pooled wasmtime store before it is recycled (a store
		 * keeps every instance's memory until it is disposed).
		 */
		private int instancesPerStore = 256;

		public int getInstancesPerStore() {
			return this.instancesPerStore;
		}

		public void setInstancesPerStore(int instancesPerStore) {
			this.instancesPerStore = instancesPerStore;
		}

	}

	/**
	 * On-disk cache of compiled plugin code, keyed by module content, checked before use
	 * and bounded in size.
	 */
	public static class CompilationCache {

		/**
		 * Whether compiled code is cached across restarts (large plugins compile for
		 * seconds).
		 */
		private boolean enabled = true;

		/**
		 * Directory of the cache.
		 */
		private Path directory = Path.of(".grain/cache");

		/**
		 * Bound on the cache's total size. Least recently used entries are deleted to stay
		 * within it, those of other runtime versions first.
		 */
		private DataSize maxSize = DataSize.ofMegabytes(512);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Path getDirectory() {
			return this.directory;
		}

		public void setDirectory(Path directory) {
			this.directory = directory;
		}

		public DataSize getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(DataSize maxSize) {
			if (maxSize.toBytes() < 1) {
				throw new IllegalArgumentException("grain.plugins.compilation-cache.max-size must be positive: " + maxSize);
			}
			this.maxSize = maxSize;
		}

	}

	public Map<String, Plugin> getPlugin() {
		return this.plugin;
	}

	public void setPlugin(Map<String, Plugin> plugin) {
		this.plugin = plugin;
	}

	public RateLimit getRateLimit() {
		return this.rateLimit;
	}

	/**
	 * A token bucket per caller (the authenticated principal; anonymous callers share one)
	 * for tool calls made through the registry.
	 */
	public static class RateLimit {

		/**
		 * Whether to limit each caller's rate of tool calls; a call over the rate is
		 * answered with a busy error result carrying retryAfterMs, and not run.
		 */
		private boolean enabled = false;

		/**
		 * Average number of tool calls a caller may make per second.
		 */
		private double callsPerSecond = 10;

		/**
		 * Number of tool calls a caller that has been idle may make at once.
		 */
		private int burst = 20;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public double getCallsPerSecond() {
			return this.callsPerSecond;
		}

		public void setCallsPerSecond(double callsPerSecond) {
			this.callsPerSecond = callsPerSecond;
		}

		public int getBurst() {
			return this.burst;
		}

		public void setBurst(int burst) {
			this.burst = burst;
		}

	}

	/**
	 * The executor that runs tool calls.
	 */
	public static class Execution {

		/**
		 * Number of tool calls that may run at once, and of the threads running
		 * asynchronous ones (a synchronous call runs on its caller's thread when one of
		 * these slots is free).
		 */
		private int threads = 8;

		/**
		 * Number of tool calls that may wait for a thread, and, for each plugin, for one of
		 * its call slots; beyond it a call is answered with a busy result.
		 */
		private int queueCapacity = 100;

		public int getThreads() {
			return this.threads;
		}

		public void setThreads(int threads) {
			this.threads = threads;
		}

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

	}

	/**
	 * Outbound HTTP of plugins granted the "http" capability.
	 */
	public static class Http {

		/**
		 * Deadline of one guest HTTP request, redirects included.
		 */
		private Duration timeout = Duration.ofSeconds(30);

		/**
		 * Largest response body handed to a guest.
		 */
		private DataSize maxResponseSize = DataSize.ofMegabytes(1);

		/**
		 * Number of redirects followed (each hop is checked against the allow-list again).
		 */
		private int maxRedirects = 5;

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public DataSize getMaxResponseSize() {
			return this.maxResponseSize;
		}

		public void setMaxResponseSize(DataSize maxResponseSize) {
			this.maxResponseSize = maxResponseSize;
		}

		public int getMaxRedirects() {
			return this.maxRedirects;
		}

		public void setMaxRedirects(int maxRedirects) {
			this.maxRedirects = maxRedirects;
		}

	}

	/**
	 * The file-system sandbox given to tools.
	 */
	public static class Sandbox {

		/**
		 * Directory that confines the paths tools read and write; created when missing.
		 * Unset: every path is refused.
		 */
		private @Nullable Path root;

		/**
		 * Whether tools may only read inside the root.
		 */
		private boolean readOnly = false;

		/**
		 * Most bytes the regular files in the sandbox may hold together; a write that would
		 * take it past this is refused.
		 */
		private DataSize maxBytes = DataSize.ofMegabytes(100);

		/**
		 * Most entries (files, directories and anything else) the sandbox may hold; a write
		 * that would take it past this is refused.
		 */
		private long maxFiles = 10000;

		public @Nullable Path getRoot() {
			return this.root;
		}

		public void setRoot(@Nullable Path root) {
			this.root = root;
		}

		public boolean isReadOnly() {
			return this.readOnly;
		}

		public void setReadOnly(boolean readOnly) {
			this.readOnly = readOnly;
		}

		public DataSize getMaxBytes() {
			return this.maxBytes;
		}

		public void setMaxBytes(DataSize maxBytes) {
			this.maxBytes = maxBytes;
		}

		public long getMaxFiles() {
			return this.maxFiles;
		}

		public void setMaxFiles(long maxFiles) {
			this.maxFiles = maxFiles;
		}

	}

	/**
	 * What the default approval handler decides for tools that are not read-only.
	 */
	public static class Approval {

		/**
		 * Decision for calls to tools that are not read-only when no per-tool decision is
		 * set.
		 */
		private Decision defaultDecision = Decision.APPROVE;

		/**
		 * Per-tool decisions, keyed by tool name.
		 */
		private Map<String, Decision> tools = new LinkedHashMap<>();

		public Decision getDefaultDecision() {
			return this.defaultDecision;
		}

		public void setDefaultDecision(Decision defaultDecision) {
			this.defaultDecision = defaultDecision;
		}

		public Map<String, Decision> getTools() {
			return this.tools;
		}

		public void setTools(Map<String, Decision> tools) {
			this.tools = tools;
		}

		/**
		 * An approval decision.
		 */
		public enum Decision {

			/**
			 * The call runs.
			 */
			APPROVE,

			/**
			 * The call is refused with an error result.
			 */
			DENY

		}

	}

	/**
	 * Size caps on the text v2 plugins push through host actions, counted in UTF-8 bytes.
	 * An action over its cap is rejected, never truncated.
	 */
	public static class Hooks {

		/**
		 * Largest system prompt a plugin may set (set-system-prompt, or the prompt of a role
		 * named by switch-role).
		 */
		private DataSize maxSystemPromptSize = DataSize.ofKilobytes(8);

		/**
		 * Largest user message a plugin may inject (inject-user-message).
		 */
		private DataSize maxUserMessageSize = DataSize.ofKilobytes(8);

		/**
		 * Largest UI status (set-ui-status) and largest field of a UI header (set-ui-header).
		 */
		private DataSize maxUiTextSize = DataSize.ofBytes(256);

		public DataSize getMaxSystemPromptSize() {
			return this.maxSystemPromptSize;
		}

		public void setMaxSystemPromptSize(DataSize maxSystemPromptSize) {
			this.maxSystemPromptSize = maxSystemPromptSize;
		}

		public DataSize getMaxUserMessageSize() {
			return this.maxUserMessageSize;
		}

		public void setMaxUserMessageSize(DataSize maxUserMessageSize) {
			this.maxUserMessageSize = maxUserMessageSize;
		}

		public DataSize getMaxUiTextSize() {
			return this.maxUiTextSize;
		}

		public void setMaxUiTextSize(DataSize maxUiTextSize) {
			this.maxUiTextSize = maxUiTextSize;
		}

	}

	/**
	 * Settings of one plugin.
	 */
	public static class Plugin {

		/**
		 * Whether to load the plugin.
		 */
		private boolean enabled = true;

		/**
		 * Capabilities granted (log, env, http, role-orchestration). Unset: what the
		 * manifest requests.
		 */
		private @Nullable List<String> capabilities;

		/**
		 * Values the plugin may read with env-get, added to the manifest's [wasm.env]. Use
		 * placeholders such as ${WEATHER_API_KEY} to pass secrets from the environment.
		 */
		private Map<String, String> env = new LinkedHashMap<>();

		/**
		 * Tools of the plugin that have no side effects and so skip approval.
		 */
		private Set<String> readOnlyTools = new LinkedHashSet<>();

		/**
		 * Tools of the plugin that are not registered, for example because another plugin
		 * or bean already provides a tool of that name. The plugin itself still loads.
		 */
		private Set<String> excludeTools = new LinkedHashSet<>();

		/**
		 * Deadline of this plugin's guest calls, overriding grain.plugins.call-timeout.
		 */
		private @Nullable Duration callTimeout;

		/**
		 * Maximum linear memory of one instance of this plugin, overriding
		 * grain.plugins.max-memory.
		 */
		private @Nullable DataSize maxMemory;

		/**
		 * Runtime this plugin runs on (wasmtime, chicory or auto), overriding
		 * grain.plugins.runtime.
		 */
		private @Nullable WasmRuntimeKind runtime;

		/**
		 * SHA-256 (hex) the plugin's module must have; a module with another digest is
		 * refused, on every load and reload.
		 */
		private @Nullable String sha256;

		private final PluginHttp http = new PluginHttp();

		public @Nullable WasmRuntimeKind getRuntime() {
			return this.runtime;
		}

		public void setRuntime(@Nullable WasmRuntimeKind runtime) {
			this.runtime = runtime;
		}

		public @Nullable String getSha256() {
			return this.sha256;
		}

		public void setSha256(@Nullable String sha256) {
			this.sha256 = sha256;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable List<String> getCapabilities() {
			return this.capabilities;
		}

		public void setCapabilities(@Nullable List<String> capabilities) {
			this.capabilities = capabilities;
		}

		public Map<String, String> getEnv() {
			return this.env;
		}

		public void setEnv(Map<String, String> env) {
			this.env = env;
		}

		public Set<String> getReadOnlyTools() {
			return this.readOnlyTools;
		}

		public void setReadOnlyTools(Set<String> readOnlyTools) {
			this.readOnlyTools = readOnlyTools;
		}

		public Set<String> getExcludeTools() {
			return this.excludeTools;
		}

		public void setExcludeTools(Set<String> excludeTools) {
			this.excludeTools = excludeTools;
		}

		public @Nullable Duration getCallTimeout() {
			return this.callTimeout;
		}

		public void setCallTimeout(@Nullable Duration callTimeout) {
			this.callTimeout = callTimeout;
		}

		public @Nullable DataSize getMaxMemory() {
			return this.maxMemory;
		}

		public void setMaxMemory(@Nullable DataSize maxMemory) {
			this.maxMemory = maxMemory;
		}

		public PluginHttp getHttp() {
			return this.http;
		}

	}

	/**
	 * Outbound HTTP of one plugin.
	 */
	public static class PluginHttp {

		/**
		 * Origins the plugin may reach, as scheme://host[:port] patterns ("*.example.com"
		 * for sub-domains, ":*" for any port). Loopback, private, link-local and metadata
		 * addresses are reachable only through a pattern naming the address literally (or
		 * "localhost").
		 */
		private List<String> allow = new ArrayList<>();

		public List<String> getAllow() {
			return this.allow;
		}

		public void setAllow(List<String> allow) {
			this.allow = allow;
		}

	}

}
