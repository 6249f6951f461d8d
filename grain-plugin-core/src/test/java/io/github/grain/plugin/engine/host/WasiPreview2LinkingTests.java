package io.github.grain.plugin.engine.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import io.github.grain.plugin.engine.InvalidPluginException;
import io.github.grain.plugin.engine.module.FunctionType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Which WASI 0.2 imports link, by interface and signature, whatever their 0.2.x version. */
class WasiPreview2LinkingTests {

	private static final PluginHostContext CONTEXT = PluginHostContext.of("p", Set.of(), java.util.Map.of(),
			(request) -> new HttpOutcome.Failure("no network"));

	private static final FunctionType WRITE = FunctionType.i32(4, 0);

	@ParameterizedTest
	@ValueSource(strings = { "wasi:io/streams@0.2.0", "wasi:io/streams@0.2.3", "wasi:io/streams@0.2.12",
			"wasi:io/streams@0.2" })
	void anyPatchVersionOfAnInterfaceLinks(String module) {
		assertThat(WasiPreview2.function(module, "[method]output-stream.blocking-write-and-flush", WRITE, CONTEXT,
				"memory", "cabi_realloc", 1024).type()).isEqualTo(WRITE);
	}

	@ParameterizedTest
	@ValueSource(strings = { "wasi:io/streams@0.3.0", "wasi:io/streams@1.0.0", "wasi:io/streams", "wasi:io/streams@0.2.x" })
	void anotherMajorOrMinorVersionIsRefused(String module) {
		assertThatThrownBy(() -> WasiPreview2.function(module, "[method]output-stream.blocking-write-and-flush", WRITE,
				CONTEXT, "memory", "cabi_realloc", 1024)).isInstanceOf(InvalidPluginException.class)
			.hasMessage("import '" + module + "' '[method]output-stream.blocking-write-and-flush' is not a WASI 0.2 "
					+ "interface (only wasi:*@0.2.x are provided)");
	}

	@Test
	void aFunctionTheHostDoesNotProvideIsRefusedByName() {
		assertThatThrownBy(() -> WasiPreview2.function("wasi:sockets/tcp-create-socket@0.2.10", "create-tcp-socket",
				FunctionType.i32(2, 0), CONTEXT, "memory", "cabi_realloc", 1024))
			.isInstanceOf(InvalidPluginException.class)
			.hasMessage("WASI import 'wasi:sockets/tcp-create-socket@0.2.10' 'create-tcp-socket' is not provided by this host");
	}

	@Test
	void aKnownFunctionWithAnotherSignatureIsRefused() {
		assertThatThrownBy(() -> WasiPreview2.function("wasi:clocks/monotonic-clock@0.2.0", "now",
				FunctionType.i32(0, 1), CONTEXT, "memory", "cabi_realloc", 1024))
			.isInstanceOf(InvalidPluginException.class)
			.hasMessage("WASI import 'wasi:clocks/monotonic-clock@0.2.0' 'now' has type () -> (i32), expected () -> (i64)");
	}

	@Test
	void everyDescriptorMethodLinksWithTheHandleFirst() {
		assertThat(WasiPreview2.function("wasi:filesystem/types@0.2.0", "[method]descriptor.open-at",
				FunctionType.i32(8, 0), CONTEXT, "memory", "cabi_realloc", 1024)).isNotNull();
		assertThatThrownBy(() -> WasiPreview2.function("wasi:filesystem/types@0.2.0", "[method]descriptor.stat",
				new FunctionType(java.util.List.of(), java.util.List.of()), CONTEXT, "memory", "cabi_realloc", 1024))
			.isInstanceOf(InvalidPluginException.class)
			.hasMessageContaining("expected a descriptor handle (i32) first");
	}

}
