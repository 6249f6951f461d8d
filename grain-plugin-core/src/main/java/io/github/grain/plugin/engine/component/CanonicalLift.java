package io.github.grain.plugin.engine.component;

/**
 * A component function defined by {@code canon lift} over an export of the main core
 * module.
 * @param coreExport main's (mangled) export name, e.g. {@code grain:plugin/plugin#init}
 * or {@code cm32p2|grain:plugin/plugin|init}
 * @param options the canonical options, resolved to main's export names
 * @param offset byte offset of the {@code canon lift} in the file
 */
public record CanonicalLift(String coreExport, CanonicalOptions options, long offset) {

}
