package io.github.grain.plugin.engine.module;

/**
 * A core WebAssembly value type.
 */
public enum ValueType {

	I32, I64, F32, F64, V128, FUNCREF, EXTERNREF;

	static ValueType fromByte(int b, long offset) {
		switch (b) {
			case 0x7F:
				return I32;
			case 0x7E:
				return I64;
			case 0x7D:
				return F32;
			case 0x7C:
				return F64;
			case 0x7B:
				return V128;
			case 0x70:
				return FUNCREF;
			case 0x6F:
				return EXTERNREF;
			default:
				throw new io.github.grain.plugin.engine.MalformedBinaryException(
						"unknown value type 0x" + Integer.toHexString(b), offset);
		}
	}

}
