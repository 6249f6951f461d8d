package io.github.grain.plugin.spring.ai;

import java.util.Objects;

import io.github.grain.plugin.tool.ToolRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;

/**
 * Every tool of a {@link ToolRegistry} as Spring AI {@link ToolCallback}s, live: each
 * {@link #getToolCallbacks()} reflects the registry at that moment (the callbacks are
 * rebuilt only when the registry's version has moved). Tools the registry imported from
 * Spring AI ({@link SpringAiTool}) are left out: the application already holds them as
 * callbacks, and offering them twice would give the model two tools of one name.
 */
public final class GrainToolCallbackProvider implements ToolCallbackProvider {

	private final ToolRegistry registry;

	private volatile @Nullable Snapshot snapshot;

	public GrainToolCallbackProvider(ToolRegistry registry) {
		this.registry = Objects.requireNonNull(registry, "registry");
	}

	@Override
	public ToolCallback[] getToolCallbacks() {
		long version = this.registry.version();
		Snapshot current = this.snapshot;
		if (current == null || current.version != version) {
			// read after the version: a change in between only makes this snapshot look older than it is
			ToolCallback[] callbacks = this.registry.definitions()
				.stream()
				.filter((definition) -> !SpringAiTool.isImported(definition))
				.map((definition) -> new GrainToolCallback(this.registry, definition))
				.toArray(ToolCallback[]::new);
			current = new Snapshot(version, callbacks);
			this.snapshot = current;
		}
		return current.callbacks.clone();
	}

	private record Snapshot(long version, ToolCallback[] callbacks) {
	}

}
