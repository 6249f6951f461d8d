package io.github.grain.plugin.tool;

import java.util.Locale;

/**
 * Default names and labels for tools declared in Java.
 */
public final class ToolNames {

	private ToolNames() {
	}

	/**
	 * {@code getWeatherForecast} → {@code get_weather_forecast}, {@code parseURLNow} →
	 * {@code parse_url_now}.
	 * @param javaName a method or class name
	 * @return the snake_case name
	 */
	public static String snakeCase(String javaName) {
		String separated = javaName.replaceAll("([A-Z]+)([A-Z][a-z])", "$1_$2").replaceAll("([a-z0-9])([A-Z])", "$1_$2");
		return separated.toLowerCase(Locale.ROOT);
	}

	/**
	 * {@code get_weather_forecast} → {@code Get weather forecast}.
	 * @param toolName a tool name
	 * @return a label
	 */
	public static String label(String toolName) {
		String spaced = toolName.replace('_', ' ').replace('-', ' ').trim();
		if (spaced.isEmpty()) {
			return toolName;
		}
		return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
	}

}
