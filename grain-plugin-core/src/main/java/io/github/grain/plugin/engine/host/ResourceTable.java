package io.github.grain.plugin.engine.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.grain.plugin.engine.AbiViolationException;
import io.github.grain.plugin.engine.abi.Handles;
import io.github.grain.plugin.engine.abi.WitType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One instance's resource handles (the Canonical ABI's per-instance handle table): the
 * host objects behind the {@code own} and {@code borrow} handles a guest holds. Handles
 * are never reused within an instance, so a dropped handle stays recognisably dropped;
 * a handle the table never handed out (a bogus one, or one from another instance) is
 * refused as such. Either traps the guest's call with an {@link AbiViolationException}
 * naming the handle, the resource type expected and what the handle was. Not
 * thread-safe: an instance runs on one thread.
 */
public final class ResourceTable implements Handles, AutoCloseable {

	/** The most handles one instance may hold at once. */
	public static final int MAX_LIVE_HANDLES = 4096;

	private static final Log logger = LogFactory.getLog(ResourceTable.class);

	private final Map<Integer, Entry> live = new LinkedHashMap<>();

	private final int maxLive;

	private int next = 1;

	public ResourceTable() {
		this(MAX_LIVE_HANDLES);
	}

	ResourceTable(int maxLive) {
		this.maxLive = maxLive;
	}

	/** How many handles are live. */
	public int size() {
		return this.live.size();
	}

	@Override
	public Object lift(WitType.HandleType type, int handle) {
		Entry entry = this.live.get(handle);
		if (entry == null) {
			throw new AbiViolationException("handle " + Integer.toUnsignedString(handle) + " passed as " + type + " "
					+ ((handle > 0 && handle < this.next) ? "was dropped already"
							: "was never handed to this instance"));
		}
		if (!entry.resource().equals(type.resource())) {
			throw new AbiViolationException("handle " + handle + " passed as " + type + " is a " + entry.resource());
		}
		if (type.own()) {
			this.live.remove(handle);
		}
		return entry.value();
	}

	@Override
	public int lower(WitType.HandleType type, Object resource) {
		if (this.live.size() >= this.maxLive) {
			throw new AbiViolationException("the guest holds " + this.live.size() + " resource handles, the most one "
					+ "instance may hold; a new " + type.resource() + " was refused");
		}
		if (this.next == Integer.MAX_VALUE) {
			throw new AbiViolationException("the guest has used up its resource handles");
		}
		int handle = this.next++;
		this.live.put(handle, new Entry(type.resource(), resource));
		return handle;
	}

	/** Close what the guest still holds: the instance is gone. */
	@Override
	public void close() {
		List<Entry> entries = new ArrayList<>(this.live.values());
		this.live.clear();
		for (Entry entry : entries) {
			if (entry.value() instanceof AutoCloseable closeable) {
				try {
					closeable.close();
				}
				catch (Exception ex) {
					logger.debug("Closing a " + entry.resource() + " left by a guest failed", ex);
				}
			}
		}
	}

	private record Entry(String resource, Object value) {
	}

}
