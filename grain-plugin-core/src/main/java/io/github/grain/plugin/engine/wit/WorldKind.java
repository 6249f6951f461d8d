package io.github.grain.plugin.engine.wit;

/**
 * The grain world a module targets, detected from its exports.
 */
public enum WorldKind {

	/** {@code grain-plugin}: imports {@code host}, exports {@code plugin}. */
	V1,

	/** {@code grain-plugin-v2}: also exports {@code orchestration}. */
	V2

}
