package io.github.grain.plugin.sample.approval;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code sample.approval.mode=ask} the {@link ApprovalInbox} replaces the starter's
 * configured approval handler (which backs off to any {@code ToolApprovalHandler} bean).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SampleApprovalProperties.class)
class SampleApprovalConfiguration {

	@Bean
	@ConditionalOnProperty(name = "sample.approval.mode", havingValue = "ask")
	ApprovalInbox approvalInbox(SampleApprovalProperties properties, ApplicationEventPublisher publisher) {
		return new ApprovalInbox(properties.getTimeout(), publisher);
	}

}
