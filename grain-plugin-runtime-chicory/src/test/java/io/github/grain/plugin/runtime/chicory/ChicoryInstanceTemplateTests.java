package io.github.grain.plugin.runtime.chicory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.ValType;
import io.github.grain.plugin.engine.Fixtures;
import io.github.grain.plugin.engine.abi.GuestMemory;
import io.github.grain.plugin.engine.module.FunctionType;
import io.github.grain.plugin.engine.module.ValueType;
import io.github.grain.plugin.engine.runtime.HostFunction;
import io.github.grain.plugin.engine.runtime.RuntimeInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Instances after the first start from the first one's template: the reactor
 * initialiser's result is replayed by copy only when it called no host function; a
 * memory goes back to the pool restored, and a view of it from a closed instance reads
 * nothing.
 */
@Tag("runtime")
class ChicoryInstanceTemplateTests {

	private final ChicoryRuntime runtime = new ChicoryRuntime(null);

	private final AtomicInteger hostCalls = new AtomicInteger();

	@AfterEach
	void close() {
		this.runtime.close();
	}

	/** The fixture's instance pool, every import answered by a stub that counts its calls and returns zeros. */
	private ChicoryInstancePool pool(String fixture) {
		byte[] bytes = Fixtures.bytes("core/" + fixture + ".wasm");
		WasmModule module = Parser.parse(bytes);
		List<HostFunction> imports = new ArrayList<>();
		for (int i = 0; i < module.importSection().importCount(); i++) {
			FunctionImport imported = (FunctionImport) module.importSection().getImport(i);
			com.dylibso.chicory.wasm.types.FunctionType type = module.typeSection().getType(imported.typeIndex());
			FunctionType ours = new FunctionType(type.params().stream().map(ChicoryInstanceTemplateTests::ours).toList(),
					type.returns().stream().map(ChicoryInstanceTemplateTests::ours).toList());
			imports.add(HostFunction.of(ours, (caller, args) -> {
				this.hostCalls.incrementAndGet();
				return new long[ours.results().size()];
			}));
		}
		return (ChicoryInstancePool) this.runtime.compile(fixture, bytes).link(imports, "_initialize");
	}

	private static ValueType ours(ValType type) {
		if (type.equals(ValType.I32)) {
			return ValueType.I32;
		}
		if (type.equals(ValType.I64)) {
			return ValueType.I64;
		}
		throw new IllegalArgumentException(type.toString());
	}

	@Test
	void anInitialiserThatCalledNoHostFunctionIsReplayedByCopy() {
		ChicoryInstancePool pool = pool("v1-legacy");
		assertThat(pool.template()).isNull();
		pool.instantiate(Duration.ofSeconds(5)).close();
		assertThat(pool.template()).isNotNull();
		assertThat(pool.template().initialized()).as("globals after _initialize").isNotNull();
		assertThat(this.hostCalls).hasValue(0);
	}

	@Test
	void anInitialiserThatCallsTheHostRunsInEveryInstance() {
		ChicoryInstancePool pool = pool("rust-wasip2");
		pool.instantiate(Duration.ofSeconds(5)).close();
		int first = this.hostCalls.get();
		assertThat(first).as("std's start-up reads arguments, environment and preopens").isPositive();
		assertThat(pool.template().initialized()).isNull();
		pool.instantiate(Duration.ofSeconds(5)).close();
		pool.instantiate(Duration.ofSeconds(5)).close();
		assertThat(this.hostCalls).hasValue(3 * first);
	}

	@Test
	void closedInstancesHandTheirMemoriesOnRestoredAndAtMostAFewStayIdle() {
		ChicoryInstancePool pool = pool("v1-legacy");
		pool.instantiate(Duration.ofSeconds(5)).close();
		List<RuntimeInstance> open = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			RuntimeInstance instance = pool.instantiate(Duration.ofSeconds(5));
			instance.memory("memory").write(70_000, new byte[] { 1, 2, 3, 4 }, "test");
			open.add(instance);
		}
		open.forEach(RuntimeInstance::close);
		assertThat(pool.idleMemories()).isBetween(1, Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
		RuntimeInstance next = pool.instantiate(Duration.ofSeconds(5));
		assertThat(next.memory("memory").read(70_000, 4, "test")).containsExactly(0, 0, 0, 0);
		next.close();
	}

	@Test
	void aMemoryViewOfAClosedInstanceReadsNothing() {
		ChicoryInstancePool pool = pool("v1-legacy");
		pool.instantiate(Duration.ofSeconds(5)).close();
		RuntimeInstance instance = pool.instantiate(Duration.ofSeconds(5));
		GuestMemory view = instance.memory("memory");
		instance.close();
		RuntimeInstance next = pool.instantiate(Duration.ofSeconds(5));
		next.memory("memory").write(70_000, new byte[] { 9 }, "test");
		assertThatIllegalStateException().isThrownBy(() -> view.read(70_000, 1, "test"))
			.withMessageContaining("closed instance of plugin 'v1-legacy'");
		next.close();
	}

}
