package io.github.grain.plugin.engine.wit;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * WIT {@code role-def}.
 * @param name role name
 * @param model model id the role uses
 * @param prompt the role's system prompt
 * @param tools tools active in the role
 * @param thinkingLevel {@code option<string>}: {@code null} when none
 */
public record RoleDef(String name, String model, String prompt, List<String> tools, @Nullable String thinkingLevel) {

	public RoleDef {
		tools = List.copyOf(tools);
	}

}
