package io.github.grain.plugin.springai;

import io.github.grain.plugin.tool.GrainTool;
import io.github.grain.plugin.tool.ToolParam;

import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.method.MethodToolCallbackProvider;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * What a new user writes: our starter's {@code @GrainTool} beans and Spring AI {@code @Tool}
 * methods in one application, nothing else configured.
 */
@SpringBootApplication
public class CoexistenceApplication {

	@Bean
	GreetingTools greetingTools() {
		return new GreetingTools();
	}

	@Bean
	WeatherTools weatherTools() {
		return new WeatherTools();
	}

	@Bean
	ToolCallbackProvider weatherToolCallbacks(WeatherTools weatherTools) {
		return MethodToolCallbackProvider.builder().toolObjects(weatherTools).build();
	}

	/** A grain tool written in Java. */
	public static class GreetingTools {

		@GrainTool(description = "Greets someone by name.", readOnly = true)
		public String greet(@ToolParam(description = "who to greet") String name) {
			return "Hello, " + name + "!";
		}

	}

	/** A Spring AI tool. */
	public static class WeatherTools {

		@Tool(description = "The temperature in a city, in degrees Celsius.")
		public int temperature(@org.springframework.ai.tool.annotation.ToolParam(description = "the city") String city) {
			return city.length() * 3;
		}

	}

}
