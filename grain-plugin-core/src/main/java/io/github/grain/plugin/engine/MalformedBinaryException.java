package io.github.grain.plugin.engine;

/**
 * A module or component binary that cannot be decoded. The byte offset points at the
 * first byte that could not be understood.
 */
public class MalformedBinaryException extends GrainPluginException {

	private final long offset;

	public MalformedBinaryException(String what, long offset) {
		super("malformed binary at offset " + offset + " (0x" + Long.toHexString(offset) + "): " + what);
		this.offset = offset;
	}

	public MalformedBinaryException(String what, long offset, Throwable cause) {
		super("malformed binary at offset " + offset + " (0x" + Long.toHexString(offset) + "): " + what, cause);
		this.offset = offset;
	}

	public long offset() {
		return this.offset;
	}

}
