package io.github.grain.plugin.engine.wit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.grain.plugin.engine.abi.CanonicalAbi;
import io.github.grain.plugin.engine.abi.VariantValue;
import org.jspecify.annotations.Nullable;

/**
 * Conversions between lifted WIT values (see {@link CanonicalAbi}) and the typed records
 * of this package.
 */
public final class GrainValues {

	private GrainValues() {
	}

	public static PluginInfo pluginInfo(Object value) {
		List<Object> fields = CanonicalAbi.fields(value);
		return new PluginInfo((String) fields.get(0), (String) fields.get(1));
	}

	public static ToolDef toolDef(Object value) {
		List<Object> f = CanonicalAbi.fields(value);
		return new ToolDef((String) f.get(0), (String) f.get(1), (String) f.get(2), (String) f.get(3));
	}

	public static List<ToolDef> toolDefs(Object value) {
		return mapList(value, GrainValues::toolDef);
	}

	public static ToolCallResult toolResult(Object value) {
		List<Object> f = CanonicalAbi.fields(value);
		return new ToolCallResult((String) f.get(0), (Boolean) f.get(1));
	}

	public static RoleDef roleDef(Object value) {
		List<Object> f = CanonicalAbi.fields(value);
		return new RoleDef((String) f.get(0), (String) f.get(1), (String) f.get(2), strings(f.get(3)),
				optionString(f.get(4)));
	}

	public static List<RoleDef> roleDefs(Object value) {
		return mapList(value, GrainValues::roleDef);
	}

	public static HookDef hookDef(Object value) {
		List<Object> f = CanonicalAbi.fields(value);
		return new HookDef(HookPoint.values()[((VariantValue) f.get(0)).caseIndex()], (String) f.get(1));
	}

	public static List<HookDef> hookDefs(Object value) {
		return mapList(value, GrainValues::hookDef);
	}

	public static HostAction hostAction(Object value) {
		VariantValue v = (VariantValue) value;
		Object p = v.payload();
		switch (v.caseIndex()) {
			case 0:
				return new HostAction.SwitchRole((String) p);
			case 1:
				return new HostAction.SwitchModel((String) p);
			case 2:
				return new HostAction.SetSystemPrompt((String) p);
			case 3:
				return new HostAction.SetActiveTools(strings(p));
			case 4:
				return new HostAction.InjectUserMessage((String) p);
			case 5:
				return new HostAction.StopAfterTurn((Boolean) p);
			case 6:
				return new HostAction.EmitCustom((String) p);
			case 7: {
				List<Object> f = CanonicalAbi.fields(p);
				return new HostAction.SetUiHeader(new UiHeader(optionString(f.get(0)), optionString(f.get(1))));
			}
			case 8:
				return new HostAction.SetUiStatus((String) p);
			default:
				throw new IllegalStateException("host-action case " + v.caseIndex() + " passed the ABI check");
		}
	}

	public static List<HostAction> hostActions(Object value) {
		return mapList(value, GrainValues::hostAction);
	}

	/** {@code option<string>} as a nullable string. */
	public static @Nullable String optionString(@Nullable Object value) {
		VariantValue v = (VariantValue) value;
		return (v != null && v.caseIndex() == 1) ? (String) v.payload() : null;
	}

	/** A nullable string as {@code option<string>}. */
	public static VariantValue toOption(@Nullable String value) {
		return (value != null) ? VariantValue.some(value) : VariantValue.none();
	}

	/** {@code list<tuple<string, string>>} as entries. */
	public static List<Map.Entry<String, String>> headers(Object value) {
		return mapList(value, (item) -> {
			List<Object> pair = CanonicalAbi.fields(item);
			return Map.entry((String) pair.get(0), (String) pair.get(1));
		});
	}

	public static List<String> strings(@Nullable Object value) {
		return mapList(value, (item) -> (String) item);
	}

	private static <T> List<T> mapList(@Nullable Object value, java.util.function.Function<Object, T> mapper) {
		List<?> items = (List<?>) value;
		List<T> out = new ArrayList<>(items.size());
		for (Object item : items) {
			out.add(mapper.apply(item));
		}
		return out;
	}

}
