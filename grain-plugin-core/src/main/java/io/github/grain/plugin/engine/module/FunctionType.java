package io.github.grain.plugin.engine.module;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A core function signature.
 * @param params parameter types
 * @param results result types
 */
public record FunctionType(List<ValueType> params, List<ValueType> results) {

	public FunctionType {
		params = List.copyOf(params);
		results = List.copyOf(results);
	}

	/** A signature of {@code i32} parameters and results only. */
	public static FunctionType i32(int paramCount, int resultCount) {
		return new FunctionType(java.util.Collections.nCopies(paramCount, ValueType.I32),
				java.util.Collections.nCopies(resultCount, ValueType.I32));
	}

	@Override
	public String toString() {
		return "(" + this.params.stream().map((t) -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
				+ ") -> (" + this.results.stream().map((t) -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
				+ ")";
	}

}
