package io.github.grain.plugin.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * A {@code grain.plugins.*} property the application cannot start with: the property,
 * its value, where it was set, and what to do.
 */
class InvalidGrainPluginsPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidGrainPluginsPropertyException> {

	private final Environment environment;

	InvalidGrainPluginsPropertyFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidGrainPluginsPropertyException cause) {
		StringBuilder description = new StringBuilder("Property '").append(cause.property()).append("'");
		if (cause.value() != null) {
			description.append(" with value '").append(cause.value()).append("'");
		}
		String origin = origin(cause.property());
		if (origin != null) {
			description.append(" (set in ").append(origin).append(")");
		}
		description.append(' ').append(cause.reason()).append('.');
		return new FailureAnalysis(description.toString(), cause.action(), cause);
	}

	/** Where the property was set, when the environment knows: a file and line, an environment variable. */
	private @Nullable String origin(String property) {
		ConfigurationPropertyName name = name(property);
		if (name == null) {
			return null;
		}
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			for (ConfigurationPropertyName candidate : new ConfigurationPropertyName[] { name, name.append("[0]") }) {
				ConfigurationProperty found = source.getConfigurationProperty(candidate);
				if (found != null && found.getOrigin() != null) {
					return found.getOrigin().toString();
				}
			}
		}
		return null;
	}

	/** The property's name; a map key that is not in canonical form (an env key) goes in brackets. */
	private static @Nullable ConfigurationPropertyName name(String property) {
		ConfigurationPropertyName name = ConfigurationPropertyName.ofIfValid(property);
		int last = property.lastIndexOf('.');
		if (name != null || last < 0) {
			return name;
		}
		ConfigurationPropertyName parent = ConfigurationPropertyName.ofIfValid(property.substring(0, last));
		return (parent != null) ? parent.append("[" + property.substring(last + 1) + "]") : null;
	}

}
