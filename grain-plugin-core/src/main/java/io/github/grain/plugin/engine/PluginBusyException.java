package io.github.grain.plugin.engine;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A plugin had no call slot for a call: every slot stayed taken for as long as the call
 * could wait (see {@link CallPermits}), or its line of waiting calls was full. The caller
 * should come back after {@link #retryAfter()}.
 */
public class PluginBusyException extends GrainPluginException {

	private final Duration retryAfter;

	public PluginBusyException(String message, Duration retryAfter) {
		this(message, retryAfter, null);
	}

	public PluginBusyException(String message, Duration retryAfter, @Nullable Throwable cause) {
		super(message, cause);
		this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
	}

	/** How long to wait before calling again: the estimated time for the calls ahead to run. */
	public Duration retryAfter() {
		return this.retryAfter;
	}

}
