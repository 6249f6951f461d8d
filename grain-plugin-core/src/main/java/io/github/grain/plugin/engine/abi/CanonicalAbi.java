package io.github.grain.plugin.engine.abi;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.github.grain.plugin.engine.AbiViolationException;
import io.github.grain.plugin.engine.UntrustedText;
import org.jspecify.annotations.Nullable;

/**
 * The Canonical ABI's {@code load}, {@code store}, {@code lift_flat} and
 * {@code lower_flat}, one small method per type shape, in the spec's own vocabulary.
 * Lifted values are Java values: {@code Boolean}; {@code Integer} for u8 and u16;
 * {@code Long} for u32 and u64 (u64 as its two's-complement bits); {@code String};
 * the host's object for a resource handle
 * (through the context's {@link Handles}); {@code List} for lists, records and tuples (in
 * field order; a {@code list<u8>} may be lowered from a {@code byte[]});
 * {@link VariantValue} for variants, enums, options and results.
 */
public final class CanonicalAbi {

	private CanonicalAbi() {
	}

	// ---- load: memory -> value ------------------------------------------------

	/**
	 * Read a value of type {@code type} stored at {@code pointer}.
	 * @throws AbiViolationException on out-of-bounds or misaligned pointers, invalid
	 * UTF-8, discriminants out of range, or exceeding the context's budget
	 */
	public static Object load(AbiContext cx, WitType type, long pointer) {
		GuestMemory.checkAligned(pointer, type.alignment(), type.toString());
		cx.memory().checkRange(pointer, type.size(), type.toString());
		return loadChecked(cx, type, pointer);
	}

	private static Object loadChecked(AbiContext cx, WitType type, long pointer) {
		GuestMemory memory = cx.memory();
		switch (type.kind()) {
			case BOOL:
				return memory.readU8(pointer) != 0;
			case U8:
				return memory.readU8(pointer);
			case U16:
				return memory.readU16(pointer);
			case U32:
				return memory.readU32(pointer);
			case U64:
				return memory.readU64(pointer);
			case HANDLE:
				return cx.handles().lift((WitType.HandleType) type, (int) memory.readU32(pointer));
			case STRING:
				return loadString(cx, memory.readU32(pointer), memory.readU32(pointer + 4));
			case LIST:
				return loadList(cx, ((WitType.ListType) type).element(), memory.readU32(pointer),
						memory.readU32(pointer + 4));
			case RECORD: {
				WitType.RecordType record = (WitType.RecordType) type;
				List<Object> fields = new ArrayList<>(record.fields().size());
				for (int i = 0; i < record.fields().size(); i++) {
					fields.add(loadChecked(cx, record.fields().get(i).type(), pointer + record.offset(i)));
				}
				return fields;
			}
			case VARIANT: {
				WitType.VariantType variant = (WitType.VariantType) type;
				long discriminant = ((Number) loadChecked(cx, variant.discriminant(), pointer)).longValue();
				WitType.Case c = caseOf(variant, discriminant);
				Object payload = (c.payload() != null)
						? loadChecked(cx, c.payload(), pointer + variant.payloadOffset()) : null;
				return new VariantValue((int) discriminant, payload);
			}
			default:
				throw new IllegalStateException("unhandled kind " + type.kind());
		}
	}

	private static WitType.Case caseOf(WitType.VariantType variant, long discriminant) {
		if (discriminant < 0 || discriminant >= variant.cases().size()) {
			throw new AbiViolationException("discriminant " + discriminant + " out of range for " + variant.name()
					+ " (" + variant.cases().size() + " cases)");
		}
		return variant.cases().get((int) discriminant);
	}

	/** {@code load_string_from_range} for UTF-8. */
	public static String loadString(AbiContext cx, long pointer, long byteLength) {
		cx.memory().checkRange(pointer, byteLength, "string");
		cx.charge(byteLength, "string of " + byteLength + " bytes");
		byte[] bytes = cx.memory().read(pointer, (int) byteLength, "string");
		try {
			return UntrustedText.decodeUtf8(bytes);
		}
		catch (CharacterCodingException ex) {
			throw new AbiViolationException("string at offset " + pointer + " with length " + byteLength
					+ " is not valid UTF-8", ex);
		}
	}

	/** {@code load_list_from_range}. */
	public static List<Object> loadList(AbiContext cx, WitType element, long pointer, long count) {
		GuestMemory.checkAligned(pointer, element.alignment(), "list<" + element + ">");
		long byteLength = count * element.size();
		cx.memory().checkRange(pointer, byteLength, "list<" + element + "> of " + count + " elements");
		cx.charge(Math.max(count, byteLength), "list of " + count + " elements");
		List<Object> out = new ArrayList<>((int) count);
		for (long i = 0; i < count; i++) {
			out.add(loadChecked(cx, element, pointer + i * element.size()));
		}
		return out;
	}

	// ---- store: value -> memory ------------------------------------------------

	/**
	 * Write {@code value} of type {@code type} at {@code pointer}, allocating strings and
	 * lists in the guest through the context's realloc.
	 */
	public static void store(AbiContext cx, WitType type, Object value, long pointer) {
		GuestMemory.checkAligned(pointer, type.alignment(), type.toString());
		cx.memory().checkRange(pointer, type.size(), type.toString());
		switch (type.kind()) {
			case BOOL -> cx.memory().writeU8(pointer, ((Boolean) value) ? 1 : 0);
			case U8 -> cx.memory().writeU8(pointer, ((Number) value).intValue());
			case U16 -> cx.memory().writeU16(pointer, ((Number) value).intValue());
			case U32 -> cx.memory().writeU32(pointer, ((Number) value).longValue());
			case U64 -> cx.memory().writeU64(pointer, ((Number) value).longValue());
			case HANDLE -> cx.memory().writeU32(pointer,
					Integer.toUnsignedLong(cx.handles().lower((WitType.HandleType) type, value)));
			case STRING -> {
				long[] range = storeString(cx, (String) value);
				cx.memory().writeU32(pointer, range[0]);
				cx.memory().writeU32(pointer + 4, range[1]);
			}
			case LIST -> {
				long[] range = storeList(cx, ((WitType.ListType) type).element(), value);
				cx.memory().writeU32(pointer, range[0]);
				cx.memory().writeU32(pointer + 4, range[1]);
			}
			case RECORD -> {
				WitType.RecordType record = (WitType.RecordType) type;
				List<?> fields = (List<?>) value;
				for (int i = 0; i < record.fields().size(); i++) {
					store(cx, record.fields().get(i).type(), fields.get(i), pointer + record.offset(i));
				}
			}
			case VARIANT -> {
				WitType.VariantType variant = (WitType.VariantType) type;
				VariantValue v = (VariantValue) value;
				WitType.Case c = variant.cases().get(v.caseIndex());
				store(cx, variant.discriminant(), (long) v.caseIndex(), pointer);
				if (c.payload() != null) {
					store(cx, c.payload(), requirePayload(v), pointer + variant.payloadOffset());
				}
			}
		}
	}

	private static Object requirePayload(VariantValue value) {
		Object payload = value.payload();
		if (payload == null) {
			throw new IllegalArgumentException("case " + value.caseIndex() + " needs a payload");
		}
		return payload;
	}

	/** Allocate with {@code realloc(0, 0, 1, len)} and copy the UTF-8 bytes; returns {ptr, len}. */
	public static long[] storeString(AbiContext cx, String value) {
		byte[] bytes = utf8(value);
		long pointer = cx.allocate(1, bytes.length, "string of " + bytes.length + " bytes");
		cx.memory().write(pointer, bytes, "string");
		return new long[] { pointer, bytes.length };
	}

	/**
	 * The UTF-8 bytes of a Java string. A WIT string holds Unicode scalar values only, so
	 * an unpaired surrogate becomes U+FFFD ({@link UntrustedText#wellFormed}) rather than
	 * the {@code '?'} that {@link String#getBytes} would substitute.
	 */
	static byte[] utf8(String value) {
		return UntrustedText.wellFormed(value).getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Allocate the element array, then store each element; returns {ptr, count}. A
	 * {@code list<u8>} may be given as a {@code byte[]}.
	 */
	public static long[] storeList(AbiContext cx, WitType element, Object list) {
		if (list instanceof byte[] bytes) {
			if (element.kind() != WitType.Kind.U8) {
				throw new IllegalArgumentException("bytes given for list<" + element + ">");
			}
			long pointer = cx.allocate(1, bytes.length, "list<u8> of " + bytes.length);
			cx.memory().write(pointer, bytes, "list<u8>");
			return new long[] { pointer, bytes.length };
		}
		List<?> values = (List<?>) list;
		long byteLength = (long) values.size() * element.size();
		long pointer = cx.allocate(element.alignment(), byteLength, "list<" + element + "> of " + values.size());
		for (int i = 0; i < values.size(); i++) {
			store(cx, element, values.get(i), pointer + (long) i * element.size());
		}
		return new long[] { pointer, values.size() };
	}

	// ---- flat values ---------------------------------------------------------

	/**
	 * {@code lift_flat}: read a value from flattened core values (import parameters).
	 */
	public static Object liftFlat(AbiContext cx, WitType type, FlatValues values) {
		switch (type.kind()) {
			case BOOL:
				return values.nextI32() != 0;
			case U8:
				return values.nextI32() & 0xFF;
			case U16:
				return values.nextI32() & 0xFFFF;
			case U32:
				return Integer.toUnsignedLong(values.nextI32());
			case U64:
				return values.nextI64();
			case HANDLE:
				return cx.handles().lift((WitType.HandleType) type, values.nextI32());
			case STRING: {
				long pointer = Integer.toUnsignedLong(values.nextI32());
				long length = Integer.toUnsignedLong(values.nextI32());
				return loadString(cx, pointer, length);
			}
			case LIST: {
				long pointer = Integer.toUnsignedLong(values.nextI32());
				long count = Integer.toUnsignedLong(values.nextI32());
				return loadList(cx, ((WitType.ListType) type).element(), pointer, count);
			}
			case RECORD: {
				WitType.RecordType record = (WitType.RecordType) type;
				List<Object> fields = new ArrayList<>(record.fields().size());
				for (WitType.Field field : record.fields()) {
					fields.add(liftFlat(cx, field.type(), values));
				}
				return fields;
			}
			case VARIANT: {
				WitType.VariantType variant = (WitType.VariantType) type;
				long discriminant = Integer.toUnsignedLong(values.nextI32());
				WitType.Case c = caseOf(variant, discriminant);
				int payloadSlots = variant.flat().size() - 1;
				int start = values.position();
				Object payload = (c.payload() != null) ? liftFlat(cx, c.payload(), values) : null;
				values.skip(payloadSlots - (values.position() - start));
				return new VariantValue((int) discriminant, payload);
			}
			default:
				throw new IllegalStateException("unhandled kind " + type.kind());
		}
	}

	/**
	 * {@code lower_flat}: flatten a value into core values (export parameters),
	 * allocating strings and lists in the guest.
	 */
	public static void lowerFlat(AbiContext cx, WitType type, Object value, FlatValues.Builder out) {
		switch (type.kind()) {
			case BOOL -> out.addI32(((Boolean) value) ? 1 : 0);
			case U8, U16 -> out.addI32(((Number) value).intValue());
			case U32 -> out.addI32((int) ((Number) value).longValue());
			case U64 -> out.addI64(((Number) value).longValue());
			case HANDLE -> out.addI32(cx.handles().lower((WitType.HandleType) type, value));
			case STRING -> {
				long[] range = storeString(cx, (String) value);
				out.addI32((int) range[0]);
				out.addI32((int) range[1]);
			}
			case LIST -> {
				long[] range = storeList(cx, ((WitType.ListType) type).element(), value);
				out.addI32((int) range[0]);
				out.addI32((int) range[1]);
			}
			case RECORD -> {
				WitType.RecordType record = (WitType.RecordType) type;
				List<?> fields = (List<?>) value;
				for (int i = 0; i < record.fields().size(); i++) {
					lowerFlat(cx, record.fields().get(i).type(), fields.get(i), out);
				}
			}
			case VARIANT -> {
				WitType.VariantType variant = (WitType.VariantType) type;
				VariantValue v = (VariantValue) value;
				WitType.Case c = variant.cases().get(v.caseIndex());
				out.addI32(v.caseIndex());
				int before = out.size();
				if (c.payload() != null) {
					lowerFlat(cx, c.payload(), requirePayload(v), out);
				}
				int padding = (variant.flat().size() - 1) - (out.size() - before);
				for (int i = 0; i < padding; i++) {
					out.addI32(0);
				}
			}
		}
	}

	/** Cast helper for lifted records. */
	@SuppressWarnings("unchecked")
	public static List<Object> fields(@Nullable Object record) {
		return (List<Object>) record;
	}

}
