package mail.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class XtextTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "plain|plain",
            "a+2Bb|a+b",
            "a+3Db|a=b",
            "+20|' '",
            "QQ+41|QQA",
            "user+40example.com|user@example.com",
            "+2B+3D+20|'+= '",
            "!~|!~",
    })
    void decodes(String xtext, String expected) {
        assertThat(Xtext.decode(xtext)).isEqualTo(expected);
    }

    @Test
    void decodesEmptyToEmpty() {
        assertThat(Xtext.decode("")).isEmpty();
    }

    @Test
    void decodesControlCharactersSoCallersCanRejectThem() {
        assertThat(Xtext.decode("a+0Db")).isEqualTo("a\rb");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a+2bb", "+2b", "+ab", "+aB"})
    void rejectsLowerCaseHex(String xtext) {
        assertThatThrownBy(() -> Xtext.decode(xtext))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("upper-case hex");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+", "a+", "a+4", "+G0", "+0G", "+-1", "++41"})
    void rejectsTruncatedOrNonHexEscapes(String xtext) {
        assertThatThrownBy(() -> Xtext.decode(xtext)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=b", "=", "a b", "a\tb", "a\u0000b", "a\u007fb", "é", "a\rb"})
    void rejectsCharactersThatMustBeEncoded(String xtext) {
        assertThatThrownBy(() -> Xtext.decode(xtext))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be encoded");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+80", "+FF", "+C3+A9"})
    void rejectsHexcharsAboveAscii(String xtext) {
        assertThatThrownBy(() -> Xtext.decode(xtext))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("above 7F");
    }

    @Test
    void encodesOnlyWhatMustBeEncoded() {
        assertThat(Xtext.encode("user+tag=x y@example.com")).isEqualTo("user+2Btag+3Dx+20y@example.com");
        assertThat(Xtext.encode("a\rb\u007f")).isEqualTo("a+0Db+7F");
        assertThat(Xtext.encode("")).isEmpty();
    }

    @Test
    void encodeUsesUpperCaseHexSoDecodeAcceptsIt() {
        assertThat(Xtext.encode("\u001f")).isEqualTo("+1F");
    }

    @Test
    void encodeRejectsNonAscii() {
        assertThatThrownBy(() -> Xtext.encode("jörg")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void roundTripsEveryAsciiCharacter() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 128; c++) {
            all.append(c);
        }
        String encoded = Xtext.encode(all.toString());

        assertThat(encoded).matches("[!-~]+").doesNotContain("=");
        assertThat(Xtext.decode(encoded)).isEqualTo(all.toString());
    }

    // ---- RFC 6533 utf-8 addresses ----

    @Test
    void utf8AddressXtextFormDecodesEscapes() {
        assertThat(Xtext.decodeUtf8Address("j\\x{F6}rg@example.com", false)).isEqualTo("jörg@example.com");
        assertThat(Xtext.decodeUtf8Address("\\x{7528}\\x{6237}@\\x{4F8B}\\x{5B50}.example", false))
                .isEqualTo("用户@例子.example");
        assertThat(Xtext.decodeUtf8Address("\\x{1F600}@example.com", false)).isEqualTo("😀@example.com");
    }

    @Test
    void utf8AddressEscapesForPlusEqualsAndBackslash() {
        assertThat(Xtext.decodeUtf8Address("a\\x{2B}b\\x{3D}c\\x{5C}d@example.com", false))
                .isEqualTo("a+b=c\\d@example.com");
    }

    @Test
    void utf8AddressAcceptsLowerCaseHexDigits() {
        assertThat(Xtext.decodeUtf8Address("j\\x{f6}rg@example.com", false)).isEqualTo("jörg@example.com");
    }

    @Test
    void utf8AddressUnitextFormOnlyInSmtpUtf8Transactions() {
        assertThat(Xtext.decodeUtf8Address("jörg@example.com", true)).isEqualTo("jörg@example.com");
        assertThatThrownBy(() -> Xtext.decodeUtf8Address("jörg@example.com", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SMTPUTF8");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "a+b@example.com",       // '+' is not a QCHAR
            "a=b@example.com",       // nor '='
            "a\\b@example.com",      // lone backslash
            "a\\x{F6@example.com",   // unterminated escape
            "a\\x{}@example.com",    // empty
            "a\\x{F}@example.com",   // one digit
            "a\\x{00F6}@example.com", // leading zero
            "a\\x{41}@example.com",  // 'A' is a QCHAR and must not be escaped
            "a\\x{20}@example.com",  // space
            "a\\x{A}@example.com",
            "a\\x{7F}@example.com",  // control
            "a\\x{D800}@example.com", // surrogate
            "a\\x{110000}@example.com",
            "a\\x{1234567}@example.com",
            "a\\x{ZZ}@example.com",
            "a b@example.com",
    })
    void utf8AddressRejects(String text) {
        assertThatThrownBy(() -> Xtext.decodeUtf8Address(text, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void utf8AddressRejectsRawControlCharactersEvenInUnitext() {
        assertThatThrownBy(() -> Xtext.decodeUtf8Address("a\u0085b@example.com", true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Xtext.decodeUtf8Address("a\uD800b@example.com", true))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
