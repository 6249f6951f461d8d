package io.github.grain.plugin.engine;

import java.util.function.LongConsumer;

import io.github.grain.plugin.engine.abi.AbiContext;
import io.github.grain.plugin.engine.abi.CanonicalAbi;
import io.github.grain.plugin.engine.abi.FlatValues;
import io.github.grain.plugin.engine.abi.VariantValue;
import io.github.grain.plugin.engine.abi.WitType;
import io.github.grain.plugin.engine.host.GuestCallState;
import io.github.grain.plugin.engine.runtime.InstancePool;
import io.github.grain.plugin.engine.runtime.RuntimeInstance;
import io.github.grain.plugin.engine.wit.GrainValues;
import io.github.grain.plugin.engine.wit.GrainWorld;
import io.github.grain.plugin.engine.wit.PluginInfo;
import io.github.grain.plugin.engine.wit.WitFunction;
import io.github.grain.plugin.engine.wit.WorldBinding;
import org.jspecify.annotations.Nullable;

/**
 * One fresh instance of a plugin for one host operation: runs the reactor initialiser,
 * then calls exports with lowering, lifting and post-return. Confined to its thread.
 */
final class GuestSession implements AutoCloseable {

	private final String plugin;

	private final WorldBinding binding;

	private final RuntimeInstance instance;

	private final long maxResultBytes;

	private final LongConsumer memoryUsed;

	private @Nullable String pendingPostReturn;

	private long[] pendingResults = new long[0];

	private GuestSession(String plugin, WorldBinding binding, RuntimeInstance instance, long maxResultBytes,
			LongConsumer memoryUsed) {
		this.plugin = plugin;
		this.binding = binding;
		this.instance = instance;
		this.maxResultBytes = maxResultBytes;
		this.memoryUsed = memoryUsed;
	}

	/**
	 * Instantiate afresh (the pool runs the reactor initialiser).
	 * @param deadline what is left of the call's deadline
	 * @param memoryUsed told the instance's memory size when the session closes (memory
	 * never shrinks, so that is the most the session used)
	 */
	static GuestSession open(String plugin, WorldBinding binding, InstancePool pool, PluginEngineOptions options,
			java.time.Duration deadline, LongConsumer memoryUsed) {
		GuestTrapException.throwIfInterrupted(plugin, "its instance was created");
		GuestCallState.begin(options.maxLogBytesPerCall(), deadline);
		RuntimeInstance instance;
		try {
			instance = pool.instantiate(deadline);
		}
		catch (RuntimeException ex) {
			GuestCallState.end();
			throw ex;
		}
		return new GuestSession(plugin, binding, instance, options.maxResultBytes(), memoryUsed);
	}

	/** Run {@code init}; an {@code err} is thrown as {@link PluginInitException}. */
	PluginInfo init() {
		VariantValue result = (VariantValue) call(GrainWorld.INIT);
		if (result.caseIndex() != 0) {
			throw new PluginInitException(
					"plugin '" + this.plugin + "' init returned err: " + result.payload());
		}
		return GrainValues.pluginInfo(result.payload());
	}

	/**
	 * Call an export of the world with lifted arguments; returns the lifted result. The
	 * export's post-return runs before any further call; after the session's last call
	 * it is skipped, because the instance and everything it allocated are discarded.
	 */
	Object call(WitFunction function, Object... args) {
		GuestTrapException.throwIfInterrupted(this.plugin, "export '" + function + "'");
		runPendingPostReturn();
		WorldBinding.BoundExport export = this.binding.export(function);
		try {
			long[] flatArgs = new long[0];
			if (args.length > 0) {
				AbiContext cx = context();
				FlatValues.Builder flat = new FlatValues.Builder();
				for (int i = 0; i < args.length; i++) {
					CanonicalAbi.lowerFlat(cx, function.params().get(i).type(), args[i], flat);
				}
				flatArgs = flat.toArray();
			}
			long[] results = this.instance.call(export.coreName(), flatArgs);
			WitType resultType = function.result();
			Object value = null;
			if (resultType != null) {
				// The memory is looked up only now: a host call during the export may already have.
				AbiContext cx = context();
				if (function.resultInMemory()) {
					value = CanonicalAbi.load(cx, resultType, Integer.toUnsignedLong((int) results[0]));
				}
				else {
					value = CanonicalAbi.liftFlat(cx, resultType, new FlatValues(results));
				}
			}
			if (export.postReturn() != null) {
				this.pendingPostReturn = export.postReturn();
				this.pendingResults = results;
			}
			return value;
		}
		catch (AbiViolationException ex) {
			throw new AbiViolationException(
					"plugin '" + this.plugin + "' function '" + function + "': " + ex.getMessage(), ex);
		}
	}

	private AbiContext context() {
		return new AbiContext(this.instance.memory(this.binding.memory()), this.instance.realloc(this.binding.realloc()),
				this.maxResultBytes);
	}

	private void runPendingPostReturn() {
		String postReturn = this.pendingPostReturn;
		if (postReturn != null) {
			this.pendingPostReturn = null;
			this.instance.call(postReturn, this.pendingResults);
		}
	}

	@Override
	public void close() {
		try {
			this.memoryUsed.accept(this.instance.memory(this.binding.memory()).sizeNow());
		}
		catch (RuntimeException ex) {
			// an instance a trap left unusable (Chicory drops it at once when the heap ran out) has nothing to count
		}
		try {
			this.instance.close();
		}
		finally {
			GuestCallState.end();
		}
	}

}
