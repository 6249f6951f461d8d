package io.github.grain.plugin.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Run with {@code mvn -pl sample-app spring-boot:run}, then
 * {@code curl -u user:PASSWORD localhost:8080/api/tools} (the password: {@code spring.security.user.password},
 * else the one Boot generates and logs at startup).
 */
@SpringBootApplication
public class GrainSampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(GrainSampleApplication.class, args);
	}

}
