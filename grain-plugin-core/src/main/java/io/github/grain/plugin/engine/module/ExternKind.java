package io.github.grain.plugin.engine.module;

/**
 * What an import or export is.
 */
public enum ExternKind {

	FUNC, TABLE, MEMORY, GLOBAL, TAG

}
