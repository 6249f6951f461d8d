package io.github.grain.plugin.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class UntrustedTextTests {

	@Test
	void logTextHasEveryLineBreakingOrDisplayChangingCharacterEscaped() {
		assertThat(UntrustedText.forLog("plain, 'quoted' and a \\ backslash"))
			.isEqualTo("plain, 'quoted' and a \\ backslash");
		assertThat(UntrustedText.forLog("line\nINFO forged")).isEqualTo("line\\nINFO forged");
		assertThat(UntrustedText.forLog("carriage\rreturn\ttab")).isEqualTo("carriage\\rreturn\\ttab");
		assertThat(UntrustedText.forLog("\u001b[31mred\u001b[0m")).isEqualTo("\\u001b[31mred\\u001b[0m");
		assertThat(UntrustedText.forLog("nul\u0000 del\u007f c1\u0085")).isEqualTo("nul\\u0000 del\\u007f c1\\u0085");
		assertThat(UntrustedText.forLog("sep\u2028para\u2029")).isEqualTo("sep\\u2028para\\u2029");
		assertThat(UntrustedText.forLog("bidi\u202eevil\u2066")).isEqualTo("bidi\\u202eevil\\u2066");
		assertThat(UntrustedText.forLog("émoji 😀 and 中文")).isEqualTo("émoji 😀 and 中文");
	}

	@Test
	void nullIsLoggedAsNull() {
		assertThat(UntrustedText.forLog(null)).isEqualTo("null");
	}

	@Test
	void describesTheFirstUnsafeCharacterForAnErrorMessage() {
		assertThat(UntrustedText.describeUnsafe("ok")).isNull();
		assertThat(UntrustedText.describeUnsafe("abc\ndef\r")).isEqualTo("a control character (\\n) at index 3");
		assertThat(UntrustedText.firstUnsafe("a\u0085")).isEqualTo(1);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"abc | abc",
			"a\ud800b | a\ufffdb",
			"\udc00 | \ufffd",
			"x\ud83d\ude00y | x\ud83d\ude00y",
			"\ude00\ud83d | \ufffd\ufffd",
			"\ud83d\ud83d\ude00 | \ufffd\ud83d\ude00",
			"end\ud800 | end\ufffd" })
	void unpairedSurrogatesBecomeReplacementCharactersAndPairsStay(String text, String wellFormed) {
		assertThat(UntrustedText.wellFormed(text)).isEqualTo(wellFormed);
	}

	@Test
	void wellFormedTextIsReturnedAsIs() {
		String text = "nothing to replace 😀";
		assertThat(UntrustedText.wellFormed(text)).isSameAs(text);
	}

}
