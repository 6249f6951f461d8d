package io.github.grain.plugin.engine.wit;

/**
 * WIT {@code hook-def}: a plugin subscribes {@code name} to {@code point}.
 * @param point the lifecycle point
 * @param name the plugin's name for the hook
 */
public record HookDef(HookPoint point, String name) {
}
