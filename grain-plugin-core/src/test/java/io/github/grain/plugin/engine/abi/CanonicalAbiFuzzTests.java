package io.github.grain.plugin.engine.abi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.grain.plugin.engine.AbiViolationException;
import io.github.grain.plugin.engine.wit.GrainTypes;

/**
 * Coverage-guided fuzzing of lifting: every WIT type of the grain world, read with
 * {@link CanonicalAbi#load} at an arbitrary address or with {@link CanonicalAbi#liftFlat}
 * from arbitrary core values, over arbitrary memory bytes, yields a value or throws
 * {@link AbiViolationException}, nothing else. A value lifted once lifts the same again,
 * and storing it into a fresh memory and loading it back gives it again. Seeds and found
 * regressions live in {@code CanonicalAbiFuzzTestsInputs/}.
 */
class CanonicalAbiFuzzTests {

	private static final List<WitType> TYPES = List.of(WitType.bool(), WitType.u8(), WitType.u16(), WitType.u32(),
			WitType.string(), GrainTypes.LOG_LEVEL, GrainTypes.HEADERS, GrainTypes.HTTP_RESPONSE,
			GrainTypes.HTTP_RESULT, GrainTypes.OPTION_STRING, GrainTypes.TOOL_DEF, WitType.list(GrainTypes.TOOL_DEF),
			GrainTypes.TOOL_RESULT, GrainTypes.PLUGIN_INFO, GrainTypes.INIT_RESULT, GrainTypes.HOOK_POINT,
			GrainTypes.ROLE_DEF, WitType.list(GrainTypes.ROLE_DEF), GrainTypes.HOOK_DEF,
			WitType.list(GrainTypes.HOOK_DEF), GrainTypes.UI_HEADER, GrainTypes.HOST_ACTION, GrainTypes.HOOK_RESULT);

	private static final int BUDGET = 1 << 16;

	@FuzzTest(maxExecutions = 60_000, maxDuration = "10s")
	void liftsAValueOrRefusesAsAnAbiViolation(FuzzedDataProvider data) {
		WitType type = data.pickValue(TYPES);
		boolean flat = data.consumeBoolean();
		long address = data.consumeBoolean() ? data.consumeLong() : data.consumeInt(0, 4096);
		long[] flatValues = new long[type.flat().size()];
		for (int i = 0; i < flatValues.length; i++) {
			flatValues[i] = data.consumeBoolean() ? data.consumeInt() : data.consumeInt(0, 4096);
		}
		byte[] memory = data.consumeRemainingAsBytes();
		Object value;
		try {
			value = lift(memory, type, flat, address, flatValues);
		}
		catch (AbiViolationException ex) {
			return;
		}
		assertThat(lift(memory, type, flat, address, flatValues)).isEqualTo(value);
		byte[] fresh = new byte[4 * BUDGET];
		AbiContext store = new AbiContext(GuestMemory.of(fresh), new BumpRealloc(256), BUDGET);
		CanonicalAbi.store(store, type, value, 0);
		assertThat(CanonicalAbi.load(MemoryImage.liftOnly(fresh), type, 0)).isEqualTo(value);
	}

	private static Object lift(byte[] memory, WitType type, boolean flat, long address, long[] flatValues) {
		AbiContext cx = new AbiContext(GuestMemory.of(memory.clone()), Realloc.NONE, BUDGET);
		return flat ? CanonicalAbi.liftFlat(cx, type, new FlatValues(flatValues.clone()))
				: CanonicalAbi.load(cx, type, address);
	}

}
