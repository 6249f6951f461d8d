package io.github.grain.plugin.engine.wit;

import java.util.ArrayList;
import java.util.List;

import io.github.grain.plugin.engine.abi.WitType;
import io.github.grain.plugin.engine.module.FunctionType;
import io.github.grain.plugin.engine.module.ValueType;
import org.jspecify.annotations.Nullable;

/**
 * A WIT function of an interface, with the core signatures the Canonical ABI gives it
 * when exported (lifted) and imported (lowered).
 * @param interfaceName the interface, for example {@code grain:plugin/plugin}
 * @param name the function, for example {@code call-tool}
 * @param params parameters in order
 * @param result the result type, {@code null} for none
 */
public record WitFunction(String interfaceName, String name, List<WitType.Field> params,
		@Nullable WitType result) {

	/** At most this many flat parameters are passed directly. */
	public static final int MAX_FLAT_PARAMS = 16;

	/** At most this many flat results are returned directly. */
	public static final int MAX_FLAT_RESULTS = 1;

	public WitFunction {
		params = List.copyOf(params);
	}

	/** The flattened parameter types. */
	public List<ValueType> flatParams() {
		List<ValueType> flat = new ArrayList<>();
		for (WitType.Field param : this.params) {
			flat.addAll(param.type().flat());
		}
		return flat;
	}

	/** The flattened result types. */
	public List<ValueType> flatResults() {
		return (this.result != null) ? this.result.flat() : List.of();
	}

	/** Whether parameters are passed through memory (more than 16 flat values). */
	public boolean paramsInMemory() {
		return flatParams().size() > MAX_FLAT_PARAMS;
	}

	/** Whether results come back through memory (more than one flat value). */
	public boolean resultInMemory() {
		return flatResults().size() > MAX_FLAT_RESULTS;
	}

	/** The core signature of this function exported by a guest. */
	public FunctionType exportType() {
		List<ValueType> params = paramsInMemory() ? List.of(ValueType.I32) : flatParams();
		List<ValueType> results = resultInMemory() ? List.of(ValueType.I32) : flatResults();
		return new FunctionType(params, results);
	}

	/** The core signature of this function imported by a guest: results past one go to a {@code retptr}. */
	public FunctionType importType() {
		List<ValueType> params = new ArrayList<>(paramsInMemory() ? List.of(ValueType.I32) : flatParams());
		List<ValueType> results = flatResults();
		if (resultInMemory()) {
			params.add(ValueType.I32);
			results = List.of();
		}
		return new FunctionType(params, results);
	}

	/** The post-return signature: the return area pointer, no results. */
	public FunctionType postReturnType() {
		return new FunctionType(resultInMemory() ? List.of(ValueType.I32) : flatResults(), List.of());
	}

	@Override
	public String toString() {
		return this.interfaceName + "#" + this.name;
	}

}
