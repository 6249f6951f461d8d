package io.github.grain.plugin.autoconfigure;

import io.github.grain.plugin.tool.InvalidToolException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A tool whose definition cannot be used (a parameters schema that is not a JSON Schema
 * object): which tool, and how to fix or leave it out.
 */
class InvalidToolFailureAnalyzer extends AbstractFailureAnalyzer<InvalidToolException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidToolException cause) {
		String description = "A tool cannot be registered: " + cause.getMessage() + ".";
		String action = "Fix the tool's parameters schema. A plugin's tool can be left out with "
				+ "grain.plugins.plugin.<plugin>.exclude-tools (or kept out of startup failures with "
				+ "grain.plugins.fail-fast=false); a bean's tool is fixed in its Tool definition or @GrainTool method.";
		return new FailureAnalysis(description, action, cause);
	}

}
