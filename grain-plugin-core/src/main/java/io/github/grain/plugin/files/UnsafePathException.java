package io.github.grain.plugin.files;

import java.io.IOException;

/**
 * A path inside a {@link ConfinedDirectory} that is refused for what it is: a symbolic
 * link, a file that is not a regular file (a FIFO, socket or device, which could block
 * the thread opening it), a file with more than one hard link about to be written, or a
 * file that changed while it was checked. The message names the path relative to the
 * directory, never the host path.
 */
public class UnsafePathException extends IOException {

	public UnsafePathException(String message) {
		super(message);
	}

}
