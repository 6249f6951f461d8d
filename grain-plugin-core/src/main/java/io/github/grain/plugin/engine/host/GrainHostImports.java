package io.github.grain.plugin.engine.host;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.grain.plugin.engine.Capability;
import io.github.grain.plugin.engine.abi.AbiContext;
import io.github.grain.plugin.engine.abi.CanonicalAbi;
import io.github.grain.plugin.engine.abi.FlatValues;
import io.github.grain.plugin.engine.abi.GuestMemory;
import io.github.grain.plugin.engine.abi.VariantValue;
import io.github.grain.plugin.engine.abi.WitType;
import io.github.grain.plugin.engine.module.FunctionType;
import io.github.grain.plugin.engine.runtime.HostFunction;
import io.github.grain.plugin.engine.wit.GrainValues;
import io.github.grain.plugin.engine.wit.GrainWorld;
import io.github.grain.plugin.engine.wit.WitFunction;
import org.jspecify.annotations.Nullable;

/**
 * The {@code grain:plugin/host} imports, each written once against lifted WIT values,
 * and the one adapter that lifts their parameters from and lowers their results into a
 * guest's memory (CONTRACT.md §2 gates each by capability).
 */
public final class GrainHostImports {

	/** The reason a guest receives when it calls HTTP without the capability. */
	public static final String HTTP_NOT_GRANTED = "http capability not granted";

	private GrainHostImports() {
	}

	/** The host import implementing {@code function}, if it is one of {@code grain:plugin/host}. */
	public static Optional<HostImport> forFunction(WitFunction function) {
		return Optional.ofNullable(IMPORTS.get(function));
	}

	/** The implementation of one host import on lifted values. */
	@FunctionalInterface
	public interface HostImport {

		/**
		 * @param context the calling plugin
		 * @param args lifted parameters in order
		 * @return the lifted result, {@code null} for a function without one
		 */
		@Nullable Object invoke(PluginHostContext context, List<Object> args);

	}

	private static final Map<WitFunction, HostImport> IMPORTS = Map.of(GrainWorld.LOG, GrainHostImports::log,
			GrainWorld.ENV_GET, GrainHostImports::envGet, GrainWorld.HTTP_GET,
			(context, args) -> http(context, "GET", args), GrainWorld.HTTP_POST,
			(context, args) -> http(context, "POST", args));

	private static @Nullable Object log(PluginHostContext context, List<Object> args) {
		if (context.granted(Capability.LOG)) {
			GuestLog.write(context, ((VariantValue) args.get(0)).caseIndex(), (String) args.get(1));
		}
		return null;
	}

	private static Object envGet(PluginHostContext context, List<Object> args) {
		if (!context.granted(Capability.ENV)) {
			return VariantValue.none();
		}
		return GrainValues.toOption(context.env().get((String) args.get(0)));
	}

	private static Object http(PluginHostContext context, String method, List<Object> args) {
		if (!context.granted(Capability.HTTP)) {
			return VariantValue.err(HTTP_NOT_GRANTED);
		}
		java.time.Duration budget = GuestCallState.remaining();
		if (budget != null && (budget.isNegative() || budget.isZero())) {
			return VariantValue.err("the call's deadline has passed");
		}
		byte @Nullable [] body = (args.size() > 2) ? ((String) args.get(2)).getBytes(StandardCharsets.UTF_8) : null;
		HttpRequest request = new HttpRequest(context.plugin(), method, (String) args.get(0),
				GrainValues.headers(args.get(1)), body, budget);
		HttpOutcome outcome;
		try {
			outcome = context.httpGateway().send(request);
		}
		catch (RuntimeException ex) {
			outcome = new HttpOutcome.Failure("http request failed: " + ex.getClass().getSimpleName());
		}
		return outcome.toWitResult();
	}

	/**
	 * A {@link HostFunction} that lifts the import's parameters, runs {@code implementation}
	 * and lowers its result (to the guest's {@code retptr} when it does not fit one flat value).
	 * @param function the WIT function
	 * @param implementation what it does
	 * @param context the plugin it serves
	 * @param memoryExport the guest's memory export
	 * @param reallocExport the guest's realloc export
	 * @param maxBytes the most bytes one call's parameters may lift
	 */
	public static HostFunction canonical(WitFunction function, HostImport implementation, PluginHostContext context,
			String memoryExport, String reallocExport, long maxBytes) {
		FunctionType type = function.importType();
		return HostFunction.of(type, (caller, args) -> {
			GuestMemory memory = caller.memory(memoryExport);
			AbiContext cx = new AbiContext(memory, caller.realloc(reallocExport), maxBytes, GuestCallState.handles());
			FlatValues flat = new FlatValues(args);
			List<Object> params = new java.util.ArrayList<>(function.params().size());
			for (WitType.Field param : function.params()) {
				params.add(CanonicalAbi.liftFlat(cx, param.type(), flat));
			}
			Object result = implementation.invoke(context, params);
			WitType resultType = function.result();
			if (resultType == null) {
				return new long[0];
			}
			if (function.resultInMemory()) {
				long retptr = Integer.toUnsignedLong((int) args[args.length - 1]);
				CanonicalAbi.store(cx, resultType, result, retptr);
				return new long[0];
			}
			FlatValues.Builder out = new FlatValues.Builder();
			CanonicalAbi.lowerFlat(cx, resultType, result, out);
			return out.toArray();
		});
	}

}
