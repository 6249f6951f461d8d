package io.github.grain.plugin.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Run with {@code mvn -pl sample-app spring-boot:run}, then
 * {@code curl localhost:8080/api/tools}.
 */
@SpringBootApplication
public class GrainSampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(GrainSampleApplication.class, args);
	}

}
