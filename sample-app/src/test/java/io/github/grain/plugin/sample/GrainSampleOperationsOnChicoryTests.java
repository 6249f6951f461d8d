package io.github.grain.plugin.sample;

import org.springframework.test.context.TestPropertySource;

/**
 * The operations suite again, with the plugins on the Chicory runtime (the runtime tags
 * and the endpoint say so).
 */
@TestPropertySource(properties = "grain.plugins.runtime=chicory")
class GrainSampleOperationsOnChicoryTests extends GrainSampleOperationsTests {

}
