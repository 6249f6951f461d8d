package io.github.grain.plugin.tool.beans;

import io.github.grain.plugin.tool.GrainTool;

/**
 * Bean classes that are not public, in a package other than the tool model's: their public
 * {@link GrainTool} methods are reachable by reflection only once made accessible.
 */
public final class HiddenBeans {

	private HiddenBeans() {
	}

	/** @return an instance of a package-private bean class */
	public static Object greeter() {
		return new Greeter();
	}

	static class Greeter {

		@GrainTool(readOnly = true)
		public String greet(String who) {
			return "hello " + who;
		}

	}

}
