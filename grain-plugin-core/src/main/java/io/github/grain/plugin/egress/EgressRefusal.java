package io.github.grain.plugin.egress;

import java.util.Locale;

/**
 * Why a guest's request was refused egress, in a small closed vocabulary fit for a metric
 * tag. The guest itself reads a sentence; this is for counting.
 */
public enum EgressRefusal {

	/** Not an {@code http} or {@code https} URL. */
	SCHEME,

	/** The URL carries user info. */
	CREDENTIALS,

	/** The URL has no valid host. */
	INVALID_HOST,

	/** The plugin is granted no egress at all. */
	NO_ALLOW_LIST,

	/** The origin is not in the plugin's allow-list. */
	NOT_ALLOWED,

	/** The name resolved only to addresses the policy refuses (loopback, private, link-local, metadata). */
	ADDRESS;

	private final String tagValue = name().toLowerCase(Locale.ROOT).replace('_', '-');

	/** The reason as a metric tag value: {@code not-allowed}, {@code address}, … */
	public String tagValue() {
		return this.tagValue;
	}

}
