package io.github.grain.plugin.engine.abi;

import io.github.grain.plugin.engine.AbiViolationException;

/**
 * The instance's table of resource handles, as the Canonical ABI's {@code lift_own},
 * {@code lift_borrow} and {@code lower_own} see it: lifting a handle yields the host's
 * object for it, lowering an owned object puts it in the table and yields its index.
 */
public interface Handles {

	/** A table that holds nothing: every handle is refused. */
	Handles NONE = new Handles() {
		@Override
		public Object lift(WitType.HandleType type, int handle) {
			throw new AbiViolationException("handle " + Integer.toUnsignedString(handle) + " passed as " + type
					+ " where this host holds no resources");
		}

		@Override
		public int lower(WitType.HandleType type, Object resource) {
			throw new IllegalStateException("no resource table to hold a " + type);
		}
	};

	/**
	 * The host object behind {@code handle}; for {@code own} it leaves the table.
	 * @throws AbiViolationException when the handle is not a live handle of that
	 * resource type in this instance
	 */
	Object lift(WitType.HandleType type, int handle);

	/** Put {@code resource} in the table; the guest now owns it. */
	int lower(WitType.HandleType type, Object resource);

}
