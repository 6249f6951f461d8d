package io.github.grain.plugin.engine;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a plugin may use of the host. Everything not granted is denied.
 */
public enum Capability {

	/** Guest {@code log} reaches the plugin's logger; denied logs are dropped. */
	LOG("log"),

	/** Guest {@code env-get} reads the plugin's own env map; denied reads answer {@code none}. */
	ENV("env"),

	/** Guest {@code http-get}/{@code http-post} through the egress policy; denied calls answer {@code err}. */
	HTTP("http"),

	/** The host reads the v2 {@code orchestration} metadata and calls hooks. */
	ROLE_ORCHESTRATION("role-orchestration");

	private final String wireName;

	Capability(String wireName) {
		this.wireName = wireName;
	}

	/** The name used in {@code plugin.toml} and configuration. */
	public String wireName() {
		return this.wireName;
	}

	/**
	 * Parse a capability name as written in a manifest or configuration.
	 * @param name the name, for example {@code "http"}
	 * @param where who asked, quoted in the error (for example {@code "plugin 'weather'"})
	 * @return the capability
	 * @throws InvalidPluginException if the name is unknown
	 */
	public static Capability fromWireName(String name, String where) {
		for (Capability capability : values()) {
			if (capability.wireName.equals(name.trim().toLowerCase(Locale.ROOT))) {
				return capability;
			}
		}
		throw new InvalidPluginException(where + ": unknown capability '" + name + "' (known: "
				+ Arrays.stream(values()).map(Capability::wireName).collect(Collectors.joining(", ")) + ")");
	}

}
