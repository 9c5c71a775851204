package mail.core.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModifiedUtf7Test {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "~peter/mail/台北/日本語|~peter/mail/&U,BTFw-/&ZeVnLIqe-",
        "INBOX|INBOX",
        "&|&-",
        "&&|&-&-",
        "Tom & Jerry|Tom &- Jerry",
        "Entwürfe|Entw&APw-rfe",
        "äü|&AOQA,A-",
        "ä-|&AOQ--",
        "ä&ä|&AOQ-&-&AOQ-",
        "\uD83D\uDE00|&2D3eAA-",
        "a\uD83D\uDE00b|a&2D3eAA-b",
        "ü|&APw-",
        "' ~!#$%''()*+,-./09:;<=>?@AZ[\\]^_`az{|}'|' ~!#$%''()*+,-./09:;<=>?@AZ[\\]^_`az{|}'",
    })
    void encodesAndDecodesCanonically(String decoded, String encoded) {
        assertThat(ModifiedUtf7.encode(decoded)).isEqualTo(encoded);
        assertThat(ModifiedUtf7.decode(encoded)).isEqualTo(decoded);
    }

    @Test
    void controlCharactersAreBase64EncodedByTheCodec() {
        // the codec is total; rejecting controls is MailboxName's job
        assertThat(ModifiedUtf7.encode("\u0000")).isEqualTo("&AAA-");
        assertThat(ModifiedUtf7.decode("&AAA-")).isEqualTo("\u0000");
        assertThat(ModifiedUtf7.decode("&AH8-")).isEqualTo("\u007F");
    }

    @Test
    void everyBmpCharacterRoundTrips() {
        StringBuilder sb = new StringBuilder();
        for (char c = 0x80; c < 0xD800; c += 7) {
            sb.append(c);
        }
        String s = sb.append("x").append((char) 0xE000).append((char) 0xFFFD).toString();

        assertThat(ModifiedUtf7.decode(ModifiedUtf7.encode(s))).isEqualTo(s);
    }

    @Test
    void runsOfEveryLengthRoundTrip() {
        // exercises each of the three possible bit alignments at the end of a shift
        for (int len = 1; len <= 9; len++) {
            String s = "a" + "é".repeat(len) + "b";
            assertThat(ModifiedUtf7.decode(ModifiedUtf7.encode(s))).as("length %d", len).isEqualTo(s);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "&U,BTFw|'&' shift is not terminated by '-'",
        "abc&|'&' shift is not terminated by '-'",
        "&AGE-|modified BASE64 encodes printable US-ASCII 'a', which must represent itself",
        "&ACY-|modified BASE64 encodes printable US-ASCII '&', which must represent itself",
        "&AC8-|modified BASE64 encodes printable US-ASCII '/', which must represent itself",
        "&ACA-|modified BASE64 encodes printable US-ASCII ' ', which must represent itself",
        "&AOQAYQ-|modified BASE64 encodes printable US-ASCII 'a', which must represent itself",
        "&U/BTFw-|invalid character '/' in modified BASE64",
        "&U,B.Fw-|invalid character '.' in modified BASE64",
        "&U,BTFw=-|invalid character '=' in modified BASE64",
        "&&-|invalid character '&' in modified BASE64",
        "&A-|truncated modified BASE64",
        "&AOQA5ADkA-|truncated modified BASE64",
        "&AOQAA-|modified BASE64 decodes to an odd number of octets",
        "&AO-|modified BASE64 decodes to an odd number of octets",
        "&AOQA-|modified BASE64 decodes to an odd number of octets",
        "&AOR-|modified BASE64 has non-zero padding bits",
        "&APx-|modified BASE64 has non-zero padding bits",
        "&2D0-|unpaired UTF-16 surrogate in modified BASE64",
        "&3gA-|unpaired UTF-16 surrogate in modified BASE64",
        "&2D3YPQ-|unpaired UTF-16 surrogate in modified BASE64",
        "&2D0-&3gA-|unpaired UTF-16 surrogate in modified BASE64",
        "&AOQ-&APw-|adjacent modified BASE64 shifts must be merged into one",
        "a&AOQ-&AOQ-b|adjacent modified BASE64 shifts must be merged into one",
        "a\u00E4|modified UTF-7 name contains a character that is not printable US-ASCII",
        "a\tb|modified UTF-7 name contains a character that is not printable US-ASCII",
        "a\u007F|modified UTF-7 name contains a character that is not printable US-ASCII",
    })
    void malformedEncodingsAreRejected(String encoded, String reason) {
        assertThatThrownBy(() -> ModifiedUtf7.decode(encoded))
                .isInstanceOfSatisfying(InvalidMailboxNameException.class,
                        e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @ParameterizedTest
    @ValueSource(strings = {"&-&AOQ-", "&AOQ-&-", "&AOQ-a&APw-", "&AOQ--&APw-"})
    void shiftsSeparatedByLiteralTextAreNotAdjacent(String encoded) {
        assertThat(ModifiedUtf7.encode(ModifiedUtf7.decode(encoded))).isEqualTo(encoded);
    }
}
