package io.github.grain.plugin.engine.abi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import io.github.grain.plugin.engine.module.ValueType;
import org.jspecify.annotations.Nullable;

/**
 * A WIT value type with its canonical-ABI layout computed once, at construction:
 * alignment, size in memory, and flattened core types. Tuples, options, results and
 * enums are despecialised to records and variants as the Canonical ABI defines them.
 */
public abstract sealed class WitType permits WitType.Primitive, WitType.StringType, WitType.ListType,
		WitType.RecordType, WitType.VariantType, WitType.HandleType {

	/** The closed set of type shapes; switch on it exhaustively. */
	public enum Kind {

		BOOL, U8, U16, U32, U64, STRING, LIST, RECORD, VARIANT, HANDLE

	}

	private final Kind kind;

	private final int alignment;

	private final int size;

	private final List<ValueType> flat;

	WitType(Kind kind, int alignment, int size, List<ValueType> flat) {
		this.kind = kind;
		this.alignment = alignment;
		this.size = size;
		this.flat = List.copyOf(flat);
	}

	public Kind kind() {
		return this.kind;
	}

	/** Alignment in linear memory, in bytes. */
	public int alignment() {
		return this.alignment;
	}

	/** Size in linear memory, in bytes (what the spec calls {@code elem_size}). */
	public int size() {
		return this.size;
	}

	/** The core value types this type flattens to. */
	public List<ValueType> flat() {
		return this.flat;
	}

	static int alignTo(int offset, int alignment) {
		return (offset + alignment - 1) / alignment * alignment;
	}

	public static WitType bool() {
		return Primitive.BOOL;
	}

	public static WitType u8() {
		return Primitive.U8;
	}

	public static WitType u16() {
		return Primitive.U16;
	}

	public static WitType u32() {
		return Primitive.U32;
	}

	public static WitType u64() {
		return Primitive.U64;
	}

	/**
	 * {@code own<resource>}: the handle's ownership moves with the value.
	 * @param resource the resource type, for example {@code wasi:io/streams#output-stream}
	 */
	public static HandleType own(String resource) {
		return new HandleType(resource, true);
	}

	/**
	 * {@code borrow<resource>}: the handle is lent for the duration of one call.
	 * @param resource the resource type, for example {@code wasi:io/streams#output-stream}
	 */
	public static HandleType borrow(String resource) {
		return new HandleType(resource, false);
	}

	public static WitType string() {
		return StringType.INSTANCE;
	}

	public static ListType list(WitType element) {
		return new ListType(element);
	}

	public static RecordType record(String name, Field... fields) {
		return new RecordType(name, List.of(fields));
	}

	public static RecordType tuple(WitType... types) {
		List<Field> fields = new ArrayList<>();
		for (int i = 0; i < types.length; i++) {
			fields.add(new Field(Integer.toString(i), types[i]));
		}
		return new RecordType("tuple", fields);
	}

	public static VariantType variant(String name, Case... cases) {
		return new VariantType(name, List.of(cases));
	}

	public static VariantType enumOf(String name, String... labels) {
		List<Case> cases = new ArrayList<>();
		for (String label : labels) {
			cases.add(new Case(label, null));
		}
		return new VariantType(name, cases);
	}

	public static VariantType option(WitType some) {
		return new VariantType("option", List.of(new Case("none", null), new Case("some", some)));
	}

	public static VariantType result(@Nullable WitType ok, @Nullable WitType err) {
		return new VariantType("result", List.of(new Case("ok", ok), new Case("err", err)));
	}

	public static Field field(String name, WitType type) {
		return new Field(name, type);
	}

	public static Case caseOf(String name, @Nullable WitType payload) {
		return new Case(name, payload);
	}

	/**
	 * A record field.
	 * @param name field name
	 * @param type field type
	 */
	public record Field(String name, WitType type) {
	}

	/**
	 * A variant case.
	 * @param name case label
	 * @param payload the payload type, {@code null} when the case carries none
	 */
	public record Case(String name, @Nullable WitType payload) {
	}

	/** bool, u8, u16, u32, u64. */
	public static final class Primitive extends WitType {

		static final Primitive BOOL = new Primitive(Kind.BOOL, 1);

		static final Primitive U8 = new Primitive(Kind.U8, 1);

		static final Primitive U16 = new Primitive(Kind.U16, 2);

		static final Primitive U32 = new Primitive(Kind.U32, 4);

		static final Primitive U64 = new Primitive(Kind.U64, 8);

		private Primitive(Kind kind, int bytes) {
			super(kind, bytes, bytes, List.of((bytes == 8) ? ValueType.I64 : ValueType.I32));
		}

		@Override
		public String toString() {
			return kind().name().toLowerCase(Locale.ROOT);
		}

	}

	/** {@code string} (UTF-8): pointer and byte length. */
	public static final class StringType extends WitType {

		static final StringType INSTANCE = new StringType();

		private StringType() {
			super(Kind.STRING, 4, 8, List.of(ValueType.I32, ValueType.I32));
		}

		@Override
		public String toString() {
			return "string";
		}

	}

	/** {@code list<T>}: pointer and element count. */
	public static final class ListType extends WitType {

		private final WitType element;

		ListType(WitType element) {
			super(Kind.LIST, 4, 8, List.of(ValueType.I32, ValueType.I32));
			this.element = element;
		}

		public WitType element() {
			return this.element;
		}

		@Override
		public String toString() {
			return "list<" + this.element + ">";
		}

	}

	/** A record (or despecialised tuple): fields laid out in order, each at its alignment. */
	public static final class RecordType extends WitType {

		private final String name;

		private final List<Field> fields;

		private final int[] offsets;

		RecordType(String name, List<Field> fields) {
			this(name, List.copyOf(fields), layout(fields));
		}

		private RecordType(String name, List<Field> fields, int[] layout) {
			super(Kind.RECORD, layout[layout.length - 2], layout[layout.length - 1], flatten(fields));
			this.name = name;
			this.fields = fields;
			this.offsets = java.util.Arrays.copyOf(layout, fields.size());
		}

		/** Offsets of each field, then alignment, then size. */
		private static int[] layout(List<Field> fields) {
			int[] out = new int[fields.size() + 2];
			int offset = 0;
			int alignment = 1;
			for (int i = 0; i < fields.size(); i++) {
				WitType type = fields.get(i).type();
				offset = alignTo(offset, type.alignment());
				out[i] = offset;
				offset += type.size();
				alignment = Math.max(alignment, type.alignment());
			}
			out[fields.size()] = alignment;
			out[fields.size() + 1] = alignTo(offset, alignment);
			return out;
		}

		private static List<ValueType> flatten(List<Field> fields) {
			List<ValueType> flat = new ArrayList<>();
			for (Field field : fields) {
				flat.addAll(field.type().flat());
			}
			return flat;
		}

		public String name() {
			return this.name;
		}

		public List<Field> fields() {
			return this.fields;
		}

		/** Byte offset of field {@code index} from the record's start. */
		public int offset(int index) {
			return this.offsets[index];
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

	/** A variant (or despecialised enum, option, result): discriminant, then the payload. */
	public static final class VariantType extends WitType {

		private final String name;

		private final List<Case> cases;

		private final WitType discriminant;

		private final int payloadOffset;

		VariantType(String name, List<Case> cases) {
			this(name, List.copyOf(cases), discriminantType(cases.size()));
		}

		private VariantType(String name, List<Case> cases, WitType discriminant) {
			super(Kind.VARIANT, alignment(cases, discriminant), size(cases, discriminant), flatten(cases));
			this.name = name;
			this.cases = cases;
			this.discriminant = discriminant;
			this.payloadOffset = alignTo(discriminant.size(), maxCaseAlignment(cases));
		}

		private static WitType discriminantType(int caseCount) {
			if (caseCount == 0) {
				throw new IllegalArgumentException("a variant needs at least one case");
			}
			if (caseCount <= 1 << 8) {
				return Primitive.U8;
			}
			if (caseCount <= 1 << 16) {
				return Primitive.U16;
			}
			return Primitive.U32;
		}

		private static int maxCaseAlignment(List<Case> cases) {
			int alignment = 1;
			for (Case c : cases) {
				if (c.payload() != null) {
					alignment = Math.max(alignment, c.payload().alignment());
				}
			}
			return alignment;
		}

		private static int alignment(List<Case> cases, WitType discriminant) {
			return Math.max(discriminant.alignment(), maxCaseAlignment(cases));
		}

		private static int size(List<Case> cases, WitType discriminant) {
			int payloadSize = 0;
			for (Case c : cases) {
				if (c.payload() != null) {
					payloadSize = Math.max(payloadSize, c.payload().size());
				}
			}
			int offset = alignTo(discriminant.size(), maxCaseAlignment(cases)) + payloadSize;
			return alignTo(offset, alignment(cases, discriminant));
		}

		/**
		 * {@code flatten_variant}: the discriminant, then the cases' flattenings joined slot
		 * by slot (equal types stay, anything else widens to i64: this model has no floats).
		 */
		private static List<ValueType> flatten(List<Case> cases) {
			List<ValueType> joined = new ArrayList<>();
			for (Case c : cases) {
				if (c.payload() == null) {
					continue;
				}
				List<ValueType> flat = c.payload().flat();
				for (int i = 0; i < flat.size(); i++) {
					if (i == joined.size()) {
						joined.add(flat.get(i));
					}
					else if (joined.get(i) != flat.get(i)) {
						joined.set(i, ValueType.I64);
					}
				}
			}
			List<ValueType> out = new ArrayList<>(1 + joined.size());
			out.add(ValueType.I32);
			out.addAll(joined);
			return out;
		}

		public String name() {
			return this.name;
		}

		public List<Case> cases() {
			return this.cases;
		}

		/** The discriminant's type: u8 up to 256 cases, u16 up to 65536, else u32. */
		public WitType discriminant() {
			return this.discriminant;
		}

		/** Byte offset of the payload from the variant's start. */
		public int payloadOffset() {
			return this.payloadOffset;
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

	/**
	 * {@code own<T>} or {@code borrow<T>}: an i32 index into the instance's table of
	 * resource handles.
	 */
	public static final class HandleType extends WitType {

		private final String resource;

		private final boolean own;

		HandleType(String resource, boolean own) {
			super(Kind.HANDLE, 4, 4, List.of(ValueType.I32));
			this.resource = resource;
			this.own = own;
		}

		/** The resource type, for example {@code wasi:io/streams#output-stream}. */
		public String resource() {
			return this.resource;
		}

		/** Whether ownership moves with the handle ({@code own}) or is lent ({@code borrow}). */
		public boolean own() {
			return this.own;
		}

		@Override
		public String toString() {
			return (this.own ? "own<" : "borrow<") + this.resource + ">";
		}

	}

}
