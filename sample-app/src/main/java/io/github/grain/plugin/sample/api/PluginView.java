package io.github.grain.plugin.sample.api;

import java.util.List;
import java.util.Locale;

import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.discovery.PluginReport;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code GET /api/plugins}.
 * @param name the plugin's name
 * @param version its version (from {@code init} when loaded, else from the manifest)
 * @param status {@code loaded}, {@code failed} or {@code disabled}
 * @param world {@code v1} or {@code v2}, when loaded
 * @param capabilities the granted capabilities
 * @param tools the names of its tools
 * @param sha256 the SHA-256 of the module, when it could be read
 * @param error why it failed
 */
public record PluginView(String name, @Nullable String version, String status, @Nullable String world,
		List<String> capabilities, List<String> tools, @Nullable String sha256, @Nullable String error) {

	static PluginView of(PluginReport report) {
		return new PluginView(report.name(), report.version(), report.status().name().toLowerCase(Locale.ROOT),
				(report.world() != null) ? report.world().name().toLowerCase(Locale.ROOT) : null,
				report.capabilities().stream().sorted().map(Capability::wireName).toList(), report.tools(),
				report.sha256(), report.error());
	}

}
