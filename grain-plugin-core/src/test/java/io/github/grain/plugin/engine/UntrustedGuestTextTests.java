package io.github.grain.plugin.engine;

import java.util.List;
import java.util.Map;
import java.util.Set;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.grain.plugin.engine.wit.HookPoint;
import io.github.grain.plugin.engine.wit.ToolDef;
import io.github.grain.plugin.orchestration.HookDispatch;
import io.github.grain.plugin.orchestration.HookDispatcher;
import io.github.grain.plugin.orchestration.HookListener;
import io.github.grain.plugin.orchestration.HostActionValidator;
import io.github.grain.plugin.tool.InvalidToolException;
import io.github.grain.plugin.tool.ToolJson;
import io.github.grain.plugin.tool.WasmTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A guest that chooses every string the host reads ({@code mimic.wasm}, steered through
 * its env) cannot forge a log line, and cannot pass a name or version with a control
 * character into the host's reports.
 */
@Tag("runtime")
class UntrustedGuestTextTests {

	private static final String FORGED = "harmless\nINFO [main] grain: forged line\r\u001b[2K";

	private static final String ESCAPED = "harmless\\nINFO [main] grain: forged line\\r\\u001b[2K";

	private final PluginEngine engine = new PluginEngine(Fixtures.options());

	@AfterEach
	void close() {
		this.engine.close();
	}

	private LoadedPlugin mimic(Map<String, String> env) {
		return this.engine.load(Fixtures.spec("mimic", "core/mimic.wasm",
				Set.of(Capability.LOG, Capability.ENV, Capability.ROLE_ORCHESTRATION), env));
	}

	@Test
	void guestLogLinesAreWrittenEscapedOnOneLine() {
		LoadedPlugin plugin = mimic(Map.of());
		ListAppender<ILoggingEvent> log = Fixtures.captureLog("grain.plugins.guest.mimic");
		assertThat(plugin.callTool("say", "{\"text\":\"harmless\\nINFO [main] grain: forged line\\r\\u001b[2K\"}")
			.contentJson()).contains("forged line");
		assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
			.containsExactly(ESCAPED);
	}

	@Test
	void aVersionOrNameWithAControlCharacterFromInitFailsTheLoad() {
		assertThatExceptionOfType(InvalidPluginException.class)
			.isThrownBy(() -> mimic(Map.of("INFO_VERSION", "1.0" + FORGED)))
			.withMessage("plugin 'mimic' init returned a version with a control character (\\n) at index 11: '1.0"
					+ ESCAPED + "'");
		assertThatExceptionOfType(InvalidPluginException.class)
			.isThrownBy(() -> mimic(Map.of("INFO_NAME", "\u202eevil")))
			.withMessageContaining("init returned a name with a control character (\\u202e) at index 0");
	}

	@Test
	void aToolNameWithAControlCharacterIsRefusedAsATool() {
		LoadedPlugin plugin = mimic(Map.of("TOOLS", "say,bad\u001bname"));
		ToolDef bad = plugin.tools().get(1);
		assertThatExceptionOfType(InvalidToolException.class)
			.isThrownBy(() -> new WasmTool(plugin, bad, false, ToolJson.newMapper()))
			.withMessage("tool name 'bad\\u001bname' from wasm:mimic must be 1 to 128 characters without whitespace or "
					+ "control characters");
		assertThat(new WasmTool(plugin, plugin.tools().get(0), false, ToolJson.newMapper()).definition().name())
			.isEqualTo("say");
	}

	@Test
	void aHookErrorIsLoggedEscaped() {
		LoadedPlugin plugin = mimic(Map.of());
		ListAppender<ILoggingEvent> log = Fixtures.captureLog(HookDispatcher.class.getName());
		HookDispatch dispatch = new HookDispatcher(List.of(plugin), new HostActionValidator((tool) -> true),
				new HookListener() {
				})
			.dispatch(HookPoint.AFTER_TOOL_CALL, "{\"text\":\"harmless\\nINFO [main] grain: forged line\\r\"}");
		assertThat(dispatch.failures()).singleElement()
			.satisfies((failure) -> assertThat(failure.message()).isEqualTo("harmless\nINFO [main] grain: forged line\r"));
		assertThat(log.list).filteredOn((event) -> event.getLevel() == Level.WARN)
			.singleElement()
			.extracting(ILoggingEvent::getFormattedMessage)
			.asString()
			.doesNotContain("\n", "\r")
			.endsWith("returned err (dispatch " + dispatch.id() + "): harmless\\nINFO [main] grain: forged line\\r");
	}

}
