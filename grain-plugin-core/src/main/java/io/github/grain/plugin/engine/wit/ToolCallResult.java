package io.github.grain.plugin.engine.wit;

/**
 * WIT {@code tool-result}.
 * @param contentJson the result as JSON text (the guest's word; not validated here)
 * @param isError whether the tool reports an error the model should read
 */
public record ToolCallResult(String contentJson, boolean isError) {
}
