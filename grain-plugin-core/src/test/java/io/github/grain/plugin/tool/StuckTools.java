package io.github.grain.plugin.tool;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code @GrainTool} methods that block, ignoring interrupts, until a test releases them:
 * {@code block_a}, {@code block_b}, {@code block_c}. Each answers "released" and counts
 * whether its thread had been interrupted meanwhile.
 */
public class StuckTools {

	/** One permit lets one blocked call return. */
	public final Semaphore release = new Semaphore(0);

	/** Calls whose thread had been interrupted when they were released. */
	public final AtomicInteger interrupts = new AtomicInteger();

	@GrainTool(description = "blocks until released", readOnly = true)
	public String blockA() {
		return block();
	}

	@GrainTool(description = "blocks until released", readOnly = true)
	public String blockB() {
		return block();
	}

	@GrainTool(description = "blocks until released", readOnly = true)
	public String blockC() {
		return block();
	}

	private String block() {
		this.release.acquireUninterruptibly();
		if (Thread.interrupted()) {
			this.interrupts.incrementAndGet();
		}
		return "released";
	}

}
