package io.github.grain.plugin.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the hosted plugins count for the application's health ({@code grain.plugins.health.*}).
 */
@ConfigurationProperties("grain.plugins.health")
public class GrainPluginsHealthProperties {

	/**
	 * Status of the grainPlugins health contributor when a plugin failed to load: UP (the
	 * others serve, as with fail-fast=false), DOWN, OUT_OF_SERVICE or a custom status.
	 */
	private String failedPluginStatus = "UP";

	public String getFailedPluginStatus() {
		return this.failedPluginStatus;
	}

	public void setFailedPluginStatus(String failedPluginStatus) {
		this.failedPluginStatus = failedPluginStatus;
	}

}
