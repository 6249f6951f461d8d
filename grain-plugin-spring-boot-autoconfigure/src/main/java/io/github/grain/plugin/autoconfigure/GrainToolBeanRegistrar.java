package io.github.grain.plugin.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.github.grain.plugin.engine.discovery.PluginCatalog;
import io.github.grain.plugin.tool.AnnotatedToolFactory;
import io.github.grain.plugin.tool.PluginToolRegistration;
import io.github.grain.plugin.tool.Tool;
import io.github.grain.plugin.tool.ToolJson;
import io.github.grain.plugin.tool.ToolRegistry;
import io.github.grain.plugin.tool.WasmTool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.autoproxy.AutoProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Once every singleton exists, registers in the {@link ToolRegistry} every {@link Tool}
 * bean, every {@code @GrainTool} method and every {@code JsonToolHandler} bean (a duplicate
 * name among them fails startup, naming both sources), then the WebAssembly tools of the
 * plugins, plugin by plugin ({@link PluginToolRegistration}): a plugin whose tool name is
 * taken is reported failed, unless {@code grain.plugins.fail-fast} makes it fail startup.
 */
class GrainToolBeanRegistrar implements SmartInitializingSingleton, BeanFactoryAware {

	private static final Log logger = LogFactory.getLog(GrainToolBeanRegistrar.class);

	private final AnnotatedToolFactory factory = new AnnotatedToolFactory(ToolJson.newMapper());

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		ConfigurableListableBeanFactory beanFactory = Objects.requireNonNull(this.beanFactory);
		ToolRegistry registry = beanFactory.getBean(ToolRegistry.class);
		int count = 0;
		List<WasmTool> pluginTools = new ArrayList<>();
		for (String beanName : beanFactory.getBeanNamesForType(Object.class, false, true)) {
			if (ScopedProxyUtils.isScopedTarget(beanName)) {
				continue;
			}
			Class<?> type = AutoProxyUtils.determineTargetClass(beanFactory, beanName);
			if (type == null) {
				continue;
			}
			if (WasmTool.class.isAssignableFrom(type)) {
				pluginTools.add(beanFactory.getBean(beanName, WasmTool.class));
			}
			else if (Tool.class.isAssignableFrom(type)) {
				registry.register(beanFactory.getBean(beanName, Tool.class));
				count++;
			}
			else if (AnnotatedToolFactory.declaresTools(type)) {
				Object bean = beanFactory.getBean(beanName);
				List<Tool> tools = this.factory.createTools(bean, type, "bean:" + beanName);
				tools.forEach(registry::register);
				count += tools.size();
			}
		}
		boolean failFast = beanFactory.getBeanProvider(GrainPluginsProperties.class)
			.getIfAvailable(GrainPluginsProperties::new)
			.isFailFast();
		count += PluginToolRegistration.register(registry,
				beanFactory.getBeanProvider(PluginCatalog.class).getIfAvailable(PluginCatalog::empty), pluginTools, failFast)
			.size();
		if (logger.isDebugEnabled()) {
			logger.debug("Registered " + count + " tool(s) from beans");
		}
	}

}
