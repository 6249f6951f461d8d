package io.github.grain.plugin.engine.component;

/**
 * A component-level import or export.
 * @param name the import or export name, e.g. {@code grain:plugin/host} or
 * {@code wasi:cli/environment@0.2.6}
 * @param sort what is imported or exported (usually an {@code instance})
 */
public record ComponentExtern(String name, ComponentSort sort) {

}
