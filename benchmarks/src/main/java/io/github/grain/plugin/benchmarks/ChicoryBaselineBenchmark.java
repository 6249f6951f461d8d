package io.github.grain.plugin.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionImport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The baseline for {@code FreshInstanceCallBenchmark} on Chicory: the same fixture and
 * call made with Chicory alone, as a plain embedding would — a fresh instance (Chicory's
 * own memory, imports linked by its builder, every host import a stub), {@code _initialize},
 * {@code init} and its post-return, {@code call-tool("echo", …)} with the strings written
 * through {@code cabi_realloc}, the result read, its post-return. No deadline, no
 * validation, no canonical-ABI checks: the ratio of our call to this one is what the
 * engine's path costs or saves.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChicoryBaselineBenchmark {

	private static final byte[] NAME = "echo".getBytes(StandardCharsets.UTF_8);

	private static final byte[] ARGS = FreshInstanceCallBenchmark.ARGS.getBytes(StandardCharsets.UTF_8);

	private WasmModule module;

	private Function<Instance, Machine> machines;

	private ImportValues imports;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.module = Parser.parse(FreshInstanceCallBenchmark.fixture("core/v1-legacy.wasm"));
		this.machines = MachineFactoryCompiler.builder(this.module)
			.withInterpreterFallback(InterpreterFallback.SILENT)
			.compile();
		int count = this.module.importSection().importCount();
		ImportFunction[] stubs = new ImportFunction[count];
		for (int i = 0; i < count; i++) {
			FunctionImport imported = (FunctionImport) this.module.importSection().getImport(i);
			var type = this.module.typeSection().getType(imported.typeIndex());
			long[] zeros = new long[type.returns().size()];
			stubs[i] = new HostFunction(imported.module(), imported.name(), type, (instance, args) -> zeros);
		}
		this.imports = ImportValues.builder().addFunction(stubs).build();
		if (!echo().equals(FreshInstanceCallBenchmark.ARGS)) {
			throw new IllegalStateException("echo did not echo");
		}
	}

	@Benchmark
	public String echo() {
		Instance instance = Instance.builder(this.module)
			.withImportValues(this.imports)
			.withMachineFactory(this.machines)
			.build();
		Memory memory = instance.memory();
		instance.export("_initialize").apply();
		long info = instance.export("grain:plugin/plugin#init").apply()[0];
		instance.export("cabi_post_grain:plugin/plugin#init").apply(info);
		ExportFunction realloc = instance.export("cabi_realloc");
		int name = (int) realloc.apply(0, 0, 1, NAME.length)[0];
		memory.write(name, NAME);
		int args = (int) realloc.apply(0, 0, 1, ARGS.length)[0];
		memory.write(args, ARGS);
		int result = (int) instance.export("grain:plugin/plugin#call-tool").apply(name, NAME.length, args,
				ARGS.length)[0];
		String content = memory.readString(memory.readInt(result), memory.readInt(result + 4));
		instance.export("cabi_post_grain:plugin/plugin#call-tool").apply(result);
		return content;
	}

}
