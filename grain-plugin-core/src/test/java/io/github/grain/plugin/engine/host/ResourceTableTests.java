package io.github.grain.plugin.engine.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import io.github.grain.plugin.engine.AbiViolationException;
import io.github.grain.plugin.engine.abi.WitType;
import org.junit.jupiter.api.Test;

class ResourceTableTests {

	private static final WitType.HandleType OWN_STREAM = WitType.own("wasi:io/streams#output-stream");

	private static final WitType.HandleType BORROW_STREAM = WitType.borrow("wasi:io/streams#output-stream");

	private static final WitType.HandleType BORROW_POLLABLE = WitType.borrow("wasi:io/poll#pollable");

	@Test
	void aBorrowLeavesTheHandleLiveAndAnOwnTakesItOut() {
		ResourceTable table = new ResourceTable();
		int handle = table.lower(OWN_STREAM, "stream");
		assertThat(handle).isEqualTo(1);
		assertThat(table.lift(BORROW_STREAM, handle)).isEqualTo("stream");
		assertThat(table.lift(BORROW_STREAM, handle)).isEqualTo("stream");
		assertThat(table.lift(OWN_STREAM, handle)).isEqualTo("stream");
		assertThat(table.size()).isZero();
	}

	@Test
	void aDroppedHandleIsRefusedAsDroppedAndNeverReused() {
		ResourceTable table = new ResourceTable();
		int first = table.lower(OWN_STREAM, "a");
		table.lift(OWN_STREAM, first);
		assertThatThrownBy(() -> table.lift(OWN_STREAM, first)).isInstanceOf(AbiViolationException.class)
			.hasMessage("handle 1 passed as own<wasi:io/streams#output-stream> was dropped already");
		assertThat(table.lower(OWN_STREAM, "b")).isEqualTo(2);
	}

	@Test
	void aHandleFromAnotherInstanceOrMadeUpIsRefusedAsNeverHandedOut() {
		ResourceTable other = new ResourceTable();
		int foreign = other.lower(OWN_STREAM, "theirs");
		ResourceTable table = new ResourceTable();
		assertThatThrownBy(() -> table.lift(BORROW_STREAM, foreign)).isInstanceOf(AbiViolationException.class)
			.hasMessage("handle 1 passed as borrow<wasi:io/streams#output-stream> was never handed to this instance");
		for (int bogus : new int[] { 0, -1, Integer.MAX_VALUE }) {
			assertThatThrownBy(() -> table.lift(BORROW_STREAM, bogus)).isInstanceOf(AbiViolationException.class)
				.hasMessageContaining("was never handed to this instance");
		}
	}

	@Test
	void aHandleOfAnotherResourceTypeIsRefusedAndStaysLive() {
		ResourceTable table = new ResourceTable();
		int pollable = table.lower(WitType.own("wasi:io/poll#pollable"), "p");
		assertThatThrownBy(() -> table.lift(OWN_STREAM, pollable)).isInstanceOf(AbiViolationException.class)
			.hasMessage("handle 1 passed as own<wasi:io/streams#output-stream> is a wasi:io/poll#pollable");
		assertThat(table.lift(BORROW_POLLABLE, pollable)).isEqualTo("p");
	}

	@Test
	void anInstanceHoldsABoundedNumberOfHandles() {
		ResourceTable table = new ResourceTable(3);
		for (int i = 0; i < 3; i++) {
			table.lower(OWN_STREAM, i);
		}
		assertThatThrownBy(() -> table.lower(OWN_STREAM, "one more")).isInstanceOf(AbiViolationException.class)
			.hasMessage("the guest holds 3 resource handles, the most one instance may hold; a new "
					+ "wasi:io/streams#output-stream was refused");
		table.lift(OWN_STREAM, 1);
		assertThat(table.lower(OWN_STREAM, "fits again")).isEqualTo(4);
	}

	@Test
	void closingTheTableClosesWhatTheGuestStillHolds() {
		List<String> closed = new ArrayList<>();
		ResourceTable table = new ResourceTable();
		table.lower(OWN_STREAM, (AutoCloseable) () -> closed.add("first"));
		table.lower(OWN_STREAM, (AutoCloseable) () -> {
			throw new IllegalStateException("broken");
		});
		table.lower(OWN_STREAM, (AutoCloseable) () -> closed.add("third"));
		table.close();
		assertThat(closed).containsExactly("first", "third");
		assertThat(table.size()).isZero();
	}

}
