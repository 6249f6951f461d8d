package io.github.grain.plugin.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;

/**
 * The committed guest fixtures (built by {@code plugins/build-fixtures.sh}).
 */
public final class Fixtures {

	private Fixtures() {
	}

	public static byte[] bytes(String path) {
		try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
			if (in == null) {
				throw new IllegalArgumentException("no fixture " + path);
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static PluginSpec spec(String name, String path, Set<Capability> capabilities, Map<String, String> env) {
		return new PluginSpec(name, "fixtures/" + path, bytes(path), capabilities, env);
	}

	public static PluginSpec core(String fixture, Set<Capability> capabilities) {
		return spec(fixture, "core/" + fixture + ".wasm", capabilities, Map.of());
	}

}
