package io.github.grain.plugin.egress;

/**
 * Hears every request a gateway refuses under the {@link EgressPolicy}, before the guest
 * is answered {@code err(...)}: the port through which refusals are counted. Called on the
 * thread making the request; must be quick and must not throw.
 */
@FunctionalInterface
public interface EgressListener {

	/** A listener that ignores everything. */
	EgressListener NONE = (plugin, refusal) -> {
	};

	/**
	 * A request was refused.
	 * @param plugin the plugin that made it
	 * @param refusal why
	 */
	void refused(String plugin, EgressRefusal refusal);

}
