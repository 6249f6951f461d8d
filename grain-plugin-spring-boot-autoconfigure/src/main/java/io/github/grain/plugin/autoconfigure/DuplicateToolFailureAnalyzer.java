package io.github.grain.plugin.autoconfigure;

import io.github.grain.plugin.tool.DuplicateToolException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Two tools claim one name: both sources, and how to rename or leave out either.
 */
class DuplicateToolFailureAnalyzer extends AbstractFailureAnalyzer<DuplicateToolException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DuplicateToolException cause) {
		String tool = cause.toolName();
		String description = "Two tools are named '" + tool + "': one from " + cause.existingSource()
				+ " and one from " + cause.newSource() + ". A model calls tools by name, so names are unique.";
		String action = "Keep one of them: " + howToDrop(tool, cause.existingSource()) + "; or "
				+ howToDrop(tool, cause.newSource()) + ".";
		return new FailureAnalysis(description, action, cause);
	}

	private static String howToDrop(String tool, String source) {
		if (source.startsWith("wasm:")) {
			String plugin = source.substring("wasm:".length());
			return "leave plugin '" + plugin + "''s tool out with grain.plugins.plugin." + plugin + ".exclude-tools="
					+ tool;
		}
		if (source.startsWith("bean:")) {
			return "rename the tool of bean '" + source.substring("bean:".length())
					+ "' (@GrainTool(name = \"...\"), or the name its Tool definition gives)";
		}
		return "rename or remove the tool from " + source;
	}

}
