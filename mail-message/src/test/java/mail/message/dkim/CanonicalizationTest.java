package mail.message.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6376 §3.4.6 and the corners of §3.4.3/§3.4.4, with input split at every awkward point. */
class CanonicalizationTest {
    // §3.4.6, written out: A: <SP> X <CRLF> B <SP> : <SP> Y <HTAB><CRLF> <HTAB> Z <SP><SP><CRLF> <CRLF>
    // <SP> C <SP><CRLF> D <SP><HTAB><SP> E <CRLF> <CRLF> <CRLF>
    private static final String EXAMPLE = "A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n C \r\nD \t E\r\n\r\n\r\n";

    private static String body(String message, Canonicalization mode) throws IOException {
        return body(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)), mode);
    }

    /** The canonical body, captured through a sink that records instead of hashing. */
    private static String body(InputStream message, Canonicalization mode) throws IOException {
        MessageReader reader = new MessageReader(message);
        reader.readHeaders(64 * 1024);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MessageReader.BodyConsumer sink = out::write;
        BodyCanonicalizer c = new BodyCanonicalizer(mode, List.of(sink));
        reader.streamBody(c);
        c.finish();
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String headers(String message, Canonicalization mode) throws IOException {
        List<HeaderField> h = new MessageReader(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)))
                .readHeaders(64 * 1024);
        return h.stream().map(f -> mode.header(f.raw())).collect(Collectors.joining());
    }

    @Test
    void rfc6376Example() throws IOException {
        assertThat(headers(EXAMPLE, Canonicalization.RELAXED)).isEqualTo("a:X\r\nb:Y Z\r\n");
        assertThat(body(EXAMPLE, Canonicalization.RELAXED)).isEqualTo(" C\r\nD E\r\n");
        assertThat(headers(EXAMPLE, Canonicalization.SIMPLE)).isEqualTo("A: X\r\nB : Y\t\r\n\tZ  \r\n");
        assertThat(body(EXAMPLE, Canonicalization.SIMPLE)).isEqualTo(" C \r\nD \t E\r\n");
    }

    @Test
    void rfc6376ExampleGivesTheSameResultHoweverTheInputIsSplit() throws IOException {
        byte[] bytes = EXAMPLE.getBytes(StandardCharsets.ISO_8859_1);
        for (int chunk = 1; chunk <= bytes.length; chunk++) {
            for (Canonicalization mode : Canonicalization.values()) {
                String whole = body(new ByteArrayInputStream(bytes), mode);
                assertThat(body(new Chunked(bytes, chunk), mode)).as("chunk %d %s", chunk, mode).isEqualTo(whole);
            }
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        // body after the blank line | relaxed | simple   (\n and \t are spelled out and replaced below)
        "'' | '' | \\r\\n",
        "\\r\\n\\r\\n | '' | \\r\\n",
        "abc | abc\\r\\n | abc\\r\\n",
        "abc\\r\\n\\r\\n\\r\\n | abc\\r\\n | abc\\r\\n",
        "a  \\t b \\r\\n | a b\\r\\n | a  \\t b \\r\\n",
        "  \\r\\nx | \\r\\nx\\r\\n |   \\r\\nx\\r\\n",
        "x\\r\\n \\t \\r\\n | x\\r\\n | x\\r\\n \\t \\r\\n",
        "bare\\nlf\\n | bare\\r\\nlf\\r\\n | bare\\r\\nlf\\r\\n",
        "cr\\ralone | cr\\ralone\\r\\n | cr\\ralone\\r\\n",
        "ends in cr\\r | ends in cr\\r\\r\\n | ends in cr\\r\\r\\n",
    })
    void bodyCorners(String body, String relaxed, String simple) throws IOException {
        String message = "From: a@example.test\r\n\r\n" + unescape(body);
        assertThat(body(message, Canonicalization.RELAXED)).isEqualTo(unescape(relaxed));
        assertThat(body(message, Canonicalization.SIMPLE)).isEqualTo(unescape(simple));
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");
    }

    @Test
    void headerSectionWithBareLfAndACrSplitFromItsLfAcrossBuffers() throws IOException {
        StringBuilder m = new StringBuilder("From: a@example.test\nSubject: one\n");
        // a header line that makes the CR of its CRLF the last octet of the reader's 64 KiB buffer
        m.append("X-Filler: ").append("y".repeat(64 * 1024 - m.length() - 10 - 1)).append("\r\n");
        m.append("To: b@example.test\r\n\r\nbody\n");
        List<HeaderField> h = new MessageReader(new ByteArrayInputStream(m.toString().getBytes(StandardCharsets.ISO_8859_1)))
                .readHeaders(256 * 1024);
        assertThat(h).extracting(HeaderField::name).containsExactly("From", "Subject", "X-Filler", "To");
        assertThat(h).allSatisfy(f -> assertThat(f.raw()).endsWith("\r\n").doesNotContain("\r\r"));
        assertThat(h.get(0).raw()).isEqualTo("From: a@example.test\r\n");
    }

    @Test
    void aMessageWithoutBodyOrBlankLineHasAllItsFields() throws IOException {
        List<HeaderField> h = new MessageReader(new ByteArrayInputStream("From: a@x.test\r\nSubject: s"
                .getBytes(StandardCharsets.US_ASCII))).readHeaders(4096);
        assertThat(h).extracting(HeaderField::raw).containsExactly("From: a@x.test\r\n", "Subject: s\r\n");
    }

    @Test
    void relaxedHeaderKeepsEightBitOctetsAndLowercasesOnlyTheName() {
        String raw = new String("SUBJECT:\t Gr\u00fc\u00dfe  AUS  K\u00f6ln \r\n".getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1);
        String canon = Canonicalization.RELAXED.header(raw);
        assertThat(canon.getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(
                "subject:Gr\u00fc\u00dfe AUS K\u00f6ln\r\n".getBytes(StandardCharsets.UTF_8));
    }

    /** Hands out the bytes in fixed-size chunks. */
    private static final class Chunked extends InputStream {
        private final byte[] data;
        private final int chunk;
        private int pos;

        Chunked(byte[] data, int chunk) {
            this.data = data;
            this.chunk = chunk;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, chunk), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    @Test
    void aFirstLineStartingWithWhiteSpaceIsNoField() throws IOException {
        List<HeaderField> h = new MessageReader(new ByteArrayInputStream(" Subject: sneaky\r\nFrom: a@x.test\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII))).readHeaders(4096);
        assertThat(h).extracting(HeaderField::name).containsExactly("", "From");
        assertThat(h.get(0).is("subject")).isFalse();
    }
}
