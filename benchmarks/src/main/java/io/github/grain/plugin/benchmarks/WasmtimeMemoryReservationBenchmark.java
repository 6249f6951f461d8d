package io.github.grain.plugin.benchmarks;

import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.grain.plugin.engine.PluginEngine;
import io.github.kawamuray.wasmtime.Config;
import io.github.kawamuray.wasmtime.Engine;
import io.github.kawamuray.wasmtime.Func;
import io.github.kawamuray.wasmtime.Instance;
import io.github.kawamuray.wasmtime.Module;
import io.github.kawamuray.wasmtime.Store;
import io.github.kawamuray.wasmtime.Val;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Performance round 2 experiment: does a wasmtime memory-reservation setting remove what
 * keeps two threads of fresh instances from scaling? The binding alone, none of our
 * engine: a small module (two pages, a data segment, an exported function that grows
 * memory by a page and touches it, as a guest's first {@code malloc} does) instantiated
 * fresh for every operation, in a store per thread that serves 256 instances before it is
 * disposed (as {@code WasmtimeInstancePool} does), from one and from two threads. The
 * settings are the ones wasmtime-java 0.19 exposes ({@code Config}):
 * <ul>
 * <li>{@code static-4g}: what {@code WasmtimeRuntime} uses, a 4 GiB static reservation per
 * memory plus wasmtime's default 2 GiB guard region;</li>
 * <li>{@code static-4g-guard-64k}: the same reservation, a 64 KiB guard (bounds checks for
 * larger offsets are compiled in instead);</li>
 * <li>{@code static-64m-guard-64k}: a 64 MiB static reservation (memories with a larger
 * maximum become dynamic);</li>
 * <li>{@code dynamic}: every memory dynamic, reserved at its current size with no guard
 * (memories move when they grow: our guest-memory views could not keep a buffer).</li>
 * </ul>
 * Sampled times per call give p50 and p99; two threads scale by
 * {@code 2 × mean(oneThread) / mean(twoThreads)}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WasmtimeMemoryReservationBenchmark {

	/**
	 * This module, assembled by {@code wat2wasm}:
	 * <pre>
	 * (module
	 *   (memory (export "memory") 2 1024)
	 *   (data (i32.const 16) "fresh instance probe")
	 *   (global $grown (mut i32) (i32.const 0))
	 *   (func (export "run") (param $n i32) (result i32)
	 *     (global.set $grown (memory.grow (i32.const 1)))
	 *     (i32.store (i32.mul (global.get $grown) (i32.const 65536)) (local.get $n))
	 *     (i32.store (i32.const 1024) (local.get $n))
	 *     (i32.add (i32.load (i32.const 16)) (i32.load (i32.const 1024)))))
	 * </pre>
	 */
	static final byte[] PROBE = HexFormat.of()
		.parseHex("0061736d0100000001060160017f017f03020100050501010280080606017f0141000b071002066d656d6f727902000372756e00000a"
				+ "2a0128004101400024002300418080046c2000360200418008200036020041102802004180082802006a0b0b1a010041100b"
				+ "14667265736820696e7374616e63652070726f6265");

	static final int INSTANCES_PER_STORE = 256;

	/** One engine and module per trial, shared by the threads. */
	@State(Scope.Benchmark)
	public static class Shared {

		@Param({ "static-4g", "static-4g-guard-64k", "static-64m-guard-64k", "dynamic" })
		public String reservation;

		/** Held open so wasmtime-java's native library is the one our runtime loads. */
		PluginEngine host;

		Engine engine;

		Module module;

		@Setup(Level.Trial)
		public void compile() {
			this.host = new PluginEngine(FreshInstanceCallBenchmark.options("wasmtime"));
			Config config = new Config().epochInterruption(true);
			switch (this.reservation) {
				case "static-4g" -> config.staticMemoryMaximumSize(4L << 30);
				case "static-4g-guard-64k" -> config.staticMemoryMaximumSize(4L << 30).staticMemoryGuardSize(64 << 10);
				case "static-64m-guard-64k" -> config.staticMemoryMaximumSize(64L << 20).staticMemoryGuardSize(64 << 10);
				case "dynamic" -> config.staticMemoryMaximumSize(0).dynamicMemoryGuardSize(0);
				default -> throw new IllegalArgumentException("unknown reservation '" + this.reservation + "'");
			}
			this.engine = new Engine(config);
			this.module = Module.fromBinary(this.engine, PROBE);
		}

		@TearDown(Level.Trial)
		public void dispose() {
			this.module.dispose();
			this.engine.dispose();
			this.host.close();
		}

	}

	/** Each thread's store, recycled after {@link #INSTANCES_PER_STORE} instances. */
	@State(Scope.Thread)
	public static class PerThread {

		Store<Void> store;

		int served;

		Store<Void> store(Shared shared) {
			if (this.store == null || this.served == INSTANCES_PER_STORE) {
				if (this.store != null) {
					this.store.dispose();
				}
				this.store = new Store<>(null, shared.engine);
				this.store.setEpochDeadline(Long.MAX_VALUE / 2);
				this.served = 0;
			}
			this.served++;
			return this.store;
		}

		@TearDown(Level.Trial)
		public void dispose() {
			if (this.store != null) {
				this.store.dispose();
			}
		}

	}

	static int freshCall(Shared shared, PerThread thread) {
		Store<Void> store = thread.store(shared);
		Instance instance = new Instance(store, shared.module, List.of());
		try (Func run = instance.getFunc(store, "run").orElseThrow()) {
			return run.call(store, Val.fromI32(7))[0].i32();
		}
		finally {
			instance.dispose();
		}
	}

	@Benchmark
	@Threads(1)
	public int oneThread(Shared shared, PerThread thread) {
		return freshCall(shared, thread);
	}

	@Benchmark
	@Threads(2)
	public int twoThreads(Shared shared, PerThread thread) {
		return freshCall(shared, thread);
	}

}
