package io.github.grain.plugin.runtime.chicory;

import com.dylibso.chicory.compiler.Cache;
import io.github.grain.plugin.engine.runtime.CompilationCache;
import org.jspecify.annotations.Nullable;

/**
 * Chicory's view of the {@link CompilationCache} for the one module being compiled: its
 * generated classes (a jar) are the entry's payload. Chicory keys entries by the module's
 * digest only; the entry's header adds the Chicory version and the checks that keep a
 * damaged or foreign jar from ever reaching Chicory's class loader.
 */
final class ChicoryClassCache implements Cache {

	private final CompilationCache cache;

	private final String plugin;

	private final String moduleSha256;

	private boolean served;

	ChicoryClassCache(CompilationCache cache, String plugin, String moduleSha256) {
		this.cache = cache;
		this.plugin = plugin;
		this.moduleSha256 = moduleSha256;
	}

	@Override
	public byte @Nullable [] get(String key) {
		byte[] classes = this.cache.read(this.plugin, this.moduleSha256).orElse(null);
		this.served = classes != null;
		return classes;
	}

	@Override
	public void putIfAbsent(String key, byte[] data) {
		this.cache.write(this.plugin, this.moduleSha256, data);
	}

	/** Whether the last lookup handed Chicory a cached entry. */
	boolean served() {
		return this.served;
	}

	/** Delete the entry Chicory was served and could not use. */
	void discard(Throwable failure) {
		this.cache.discard(this.plugin, this.moduleSha256, "was refused by chicory (" + failure + ")");
	}

}
