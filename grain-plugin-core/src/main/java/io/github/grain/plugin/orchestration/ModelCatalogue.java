package io.github.grain.plugin.orchestration;

/**
 * The host's model catalogue, asked whether a model id named by a plugin
 * ({@code switch-model}, or a role's model) exists. Optional: without one any
 * non-blank id is accepted. Blank ids are refused before the catalogue is asked.
 */
@FunctionalInterface
public interface ModelCatalogue {

	/**
	 * Whether the host can use this model.
	 * @param modelId a non-blank model id as the plugin wrote it, for example
	 * {@code anthropic/claude-sonnet-4}
	 * @return {@code true} if the model is known
	 */
	boolean isKnown(String modelId);

}
