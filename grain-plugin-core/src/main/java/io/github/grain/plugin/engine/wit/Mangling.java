package io.github.grain.plugin.engine.wit;

/**
 * The two core-name manglings a guest may use (CONTRACT.md §3); tools accept mixing them
 * in one module, so each name is resolved on its own.
 */
public enum Mangling {

	/** What wit-bindgen emits today: {@code grain:plugin/plugin#init}. */
	LEGACY {
		@Override
		public String importModule(String interfaceName) {
			return interfaceName;
		}

		@Override
		public String export(WitFunction function) {
			return function.interfaceName() + "#" + function.name();
		}

		@Override
		public String postReturn(WitFunction function) {
			return "cabi_post_" + export(function);
		}

		@Override
		public String realloc() {
			return "cabi_realloc";
		}

		@Override
		public String memory() {
			return "memory";
		}

		@Override
		public String initialize() {
			return "_initialize";
		}
	},

	/** The standard {@code cm32p2} names: {@code cm32p2|grain:plugin/plugin|init}. */
	STANDARD {
		@Override
		public String importModule(String interfaceName) {
			return "cm32p2|" + interfaceName;
		}

		@Override
		public String export(WitFunction function) {
			return "cm32p2|" + function.interfaceName() + "|" + function.name();
		}

		@Override
		public String postReturn(WitFunction function) {
			return export(function) + "_post";
		}

		@Override
		public String realloc() {
			return "cm32p2_realloc";
		}

		@Override
		public String memory() {
			return "cm32p2_memory";
		}

		@Override
		public String initialize() {
			return "cm32p2_initialize";
		}
	};

	public abstract String importModule(String interfaceName);

	public abstract String export(WitFunction function);

	public abstract String postReturn(WitFunction function);

	public abstract String realloc();

	public abstract String memory();

	public abstract String initialize();

}
