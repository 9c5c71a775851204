package mail.imap.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransferDecodingTest {

    private static byte[] decode(String encoding, String input) throws IOException {
        return decode(encoding, input.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] decode(String encoding, byte[] input) throws IOException {
        try (InputStream in = TransferDecoding.decode(encoding, new ByteArrayInputStream(input))) {
            return in.readAllBytes();
        }
    }

    private static String qp(String input) throws IOException {
        return new String(decode("quoted-printable", input), StandardCharsets.UTF_8);
    }

    @Test
    void quotedPrintableAsRfc2045Says() throws IOException {
        assertThat(qp("caf=C3=A9 au lait")).isEqualTo("café au lait");
        assertThat(qp("soft =\r\nbreak")).isEqualTo("soft break");
        assertThat(qp("bare LF soft =\nbreak")).isEqualTo("bare LF soft break");
        assertThat(qp("padding after soft break =  \r\nhere")).isEqualTo("padding after soft break here");
        assertThat(qp("trailing blanks   \r\nnext line\t \r\n")).isEqualTo("trailing blanks\r\nnext line\r\n");
        assertThat(qp("blanks at the end  ")).isEqualTo("blanks at the end");
        assertThat(qp("inner  blanks stay")).isEqualTo("inner  blanks stay");
        assertThat(qp("lower case =c3=a9")).isEqualTo("lower case é");
        assertThat(qp("malformed =G1 and =4")).isEqualTo("malformed =G1 and =4");
        assertThat(qp("equals at end =")).isEqualTo("equals at end =");
        assertThat(qp("=3D=0D=0A")).isEqualTo("=\r\n");
    }

    @Test
    void base64IgnoresLineBreaksAndGarbageAndStopsAtPadding() throws IOException {
        assertThat(decode("base64", "AAECAwBG\r\nAA==")).containsExactly(0, 1, 2, 3, 0, 0x46, 0);
        assertThat(decode("BASE64", " SGVs\tbG8*!\r\n")).isEqualTo("Hello".getBytes(StandardCharsets.US_ASCII));
        assertThat(decode("base64", "SGk=ignored after padding")).isEqualTo("Hi".getBytes(StandardCharsets.US_ASCII));
        assertThat(decode("base64", "SGVsbG8")).as("missing padding").isEqualTo("Hello".getBytes(StandardCharsets.US_ASCII));
        assertThat(decode("base64", "Q")).as("a lone character carries no octet").isEmpty();
        assertThat(decode("base64", "")).isEmpty();
    }

    @Test
    void base64RoundTripsLargeRandomData() throws IOException {
        byte[] data = new byte[300_001];
        new Random(1).nextBytes(data);
        byte[] encoded = java.util.Base64.getMimeEncoder().encode(data);
        assertThat(decode("base64", encoded)).isEqualTo(data);
    }

    @Test
    void identityAndUnknownEncodings() throws IOException {
        assertThat(TransferDecoding.isIdentity("7BIT")).isTrue();
        assertThat(TransferDecoding.isIdentity(null)).as("absent means 7bit").isTrue();
        assertThat(TransferDecoding.isIdentity(" binary ")).isTrue();
        assertThat(TransferDecoding.isKnown("x-uuencode")).isFalse();
        assertThat(TransferDecoding.isKnown("Quoted-Printable")).isTrue();
        assertThat(decode("8bit", "caf\u00e9")).containsExactly('c', 'a', 'f', 0xE9);
    }
}
