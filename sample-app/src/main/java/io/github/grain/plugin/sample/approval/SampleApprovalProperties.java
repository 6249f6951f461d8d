package io.github.grain.plugin.sample.approval;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the sample decides calls to tools that are not read-only.
 */
@ConfigurationProperties("sample.approval")
public class SampleApprovalProperties {

	/**
	 * Who decides: the starter's configured decisions (grain.plugins.approval.*), or a
	 * person answering in the web console or at POST /api/approvals/{id}.
	 */
	private Mode mode = Mode.CONFIGURED;

	/**
	 * How long a call waits for a person before it is denied (ask mode).
	 */
	private Duration timeout = Duration.ofMinutes(2);

	public Mode getMode() {
		return this.mode;
	}

	public void setMode(Mode mode) {
		this.mode = mode;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	/** Who decides. */
	public enum Mode {

		/** {@code grain.plugins.approval.*}, through the starter's default handler. */
		CONFIGURED,

		/** A person, through the {@link ApprovalInbox}. */
		ASK

	}

}
