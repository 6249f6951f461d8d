package io.github.grain.plugin.spring.ai;

import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.grain.plugin.tool.ToolRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Once every singleton exists, registers in the {@link ToolRegistry} each Spring AI
 * {@link ToolCallback} bean and each callback of every {@link ToolCallbackProvider} bean
 * (MCP client tools included), as {@link SpringAiTool}s. Our own
 * {@link GrainToolCallbackProvider} and {@link GrainToolCallback}s are never imported,
 * so a tool cannot come back to the registry it came from. A name already in the
 * registry fails startup, naming both sources.
 */
public final class SpringAiToolImporter implements SmartInitializingSingleton, BeanFactoryAware {

	private static final Log logger = LogFactory.getLog(SpringAiToolImporter.class);

	private final ObjectMapper mapper;

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	public SpringAiToolImporter(ObjectMapper mapper) {
		this.mapper = mapper;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		ConfigurableListableBeanFactory beanFactory = Objects.requireNonNull(this.beanFactory);
		ToolRegistry registry = beanFactory.getBean(ToolRegistry.class);
		int count = 0;
		for (String beanName : beanFactory.getBeanNamesForType(ToolCallback.class)) {
			count += importCallback(registry, beanFactory.getBean(beanName, ToolCallback.class), beanName);
		}
		for (String beanName : beanFactory.getBeanNamesForType(ToolCallbackProvider.class)) {
			ToolCallbackProvider provider = beanFactory.getBean(beanName, ToolCallbackProvider.class);
			if (provider instanceof GrainToolCallbackProvider) {
				continue;
			}
			for (ToolCallback callback : provider.getToolCallbacks()) {
				count += importCallback(registry, callback, beanName);
			}
		}
		logger.info("Imported " + count + " Spring AI tool(s) into the tool registry");
	}

	private int importCallback(ToolRegistry registry, ToolCallback callback, String beanName) {
		if (callback instanceof GrainToolCallback) {
			return 0;
		}
		registry.register(new SpringAiTool(callback, beanName, this.mapper));
		return 1;
	}

}
