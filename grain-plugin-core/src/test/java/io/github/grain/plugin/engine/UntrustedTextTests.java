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


	@Test
	void theUtf8CheckAgreesWithTheJdksStrictDecoderOnEveryShapeOfSequence() {
		java.util.Random random = new java.util.Random(42);
		int[] interesting = { 0x00, 0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF,
				0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF, 0x8F, 0x90, 0x9F, 0xA0 };
		int wellFormed = 0;
		for (int run = 0; run < 200_000; run++) {
			byte[] bytes = new byte[1 + random.nextInt(6)];
			for (int i = 0; i < bytes.length; i++) {
				bytes[i] = (byte) (random.nextBoolean() ? interesting[random.nextInt(interesting.length)]
						: random.nextInt(256));
			}
			boolean jdk;
			try {
				java.nio.charset.StandardCharsets.UTF_8.newDecoder()
					.onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
					.onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
					.decode(java.nio.ByteBuffer.wrap(bytes));
				jdk = true;
				wellFormed++;
			}
			catch (java.nio.charset.CharacterCodingException ex) {
				jdk = false;
			}
			assertThat(UntrustedText.isWellFormedUtf8(bytes)).as(java.util.HexFormat.of().formatHex(bytes)).isEqualTo(jdk);
		}
		assertThat(wellFormed).as("both outcomes are exercised").isBetween(1_000, 199_000);
	}

	@Test
	void malformedUtf8IsStillRefusedAndWellFormedDecoded() throws Exception {
		assertThat(UntrustedText.decodeUtf8("h\u00e9llo \ud83d\ude00".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
			.isEqualTo("h\u00e9llo \ud83d\ude00");
		org.assertj.core.api.Assertions
			.assertThatExceptionOfType(java.nio.charset.CharacterCodingException.class)
			.isThrownBy(() -> UntrustedText.decodeUtf8(new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 }));
	}

}
