package mail.message;

import static mail.message.Corpus.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Broken input and limits: always a usable result and a defect code, never an exception or unbounded memory. */
class MalformedInputTest {

    @Test
    void missingCloseBoundaryEndsTheLastPartAtTheEnd() {
        byte[] raw = Corpus.bytes("missing-close-boundary.eml");
        ParsedMessage m = Corpus.parse(raw);

        assertThat(m.body().parts()).hasSize(2);
        assertThat(slice(raw, m.section(1).bodyStart(), m.section(1).bodyEnd())).isEqualTo("first part");
        assertThat(slice(raw, m.section(2).bodyStart(), m.section(2).bodyEnd()))
                .isEqualTo("second part never closed\r\n");
        assertThat(m.section(2).bodyEnd()).isEqualTo(m.size());
        assertThat(m.defects()).contains("missing-close-boundary");
        assertThat(m.search().body()).isEqualTo("first part second part never closed");
    }

    @Test
    void headerWithoutBlankLineEndsAtTheFirstNonHeaderLine() {
        byte[] raw = Corpus.bytes("no-blank-line.eml");
        ParsedMessage m = Corpus.parse(raw);

        assertThat(slice(raw, 0, m.headerLength())).isEqualTo("From: a@example.org\r\nSubject: no separator\r\n");
        assertThat(slice(raw, m.headerLength(), m.size())).startsWith("This line is not a header");
        assertThat(m.envelope().subject()).isEqualTo("no separator");
        assertThat(m.defects()).contains("no-blank-line-after-header");
    }

    @Test
    void bareLfLineEndsAreCountedAsOneOctet() {
        byte[] raw = Corpus.bytes("bare-lf.eml");
        ParsedMessage m = Corpus.parse(raw);

        assertThat(slice(raw, m.section(1).headerStart(), m.section(1).bodyStart()))
                .isEqualTo("Content-Type: text/plain\n\n");
        assertThat(slice(raw, m.section(1).bodyStart(), m.section(1).bodyEnd())).isEqualTo("line one\nline two");
        assertThat(m.section(1).lines()).isEqualTo(1);
        assertThat(slice(raw, m.section(2).bodyStart(), m.section(2).bodyEnd())).isEqualTo("<p>html</p>");
        assertThat(m.envelope().subject()).isEqualTo("bare lf");
    }

    @Test
    void binaryGarbageIsOneOpaqueTextPart() {
        byte[] raw = Corpus.bytes("garbage-binary.eml");
        ParsedMessage m = Corpus.parse(raw);

        assertThat(m.size()).isEqualTo(5000);
        assertThat(m.body().mimeType()).isEqualTo("text/plain");
        assertThat(m.body().bodyEnd()).isEqualTo(5000);
        assertThat(m.eightBit()).isTrue();
        assertThat(m.search().body()).doesNotContain("\ufffd");
    }

    @Test
    void emptyMessage() {
        ParsedMessage m = Corpus.parse(new byte[0]);

        assertThat(m.size()).isZero();
        assertThat(m.headerLength()).isZero();
        assertThat(m.body().size()).isZero();
        assertThat(m.body().mimeType()).isEqualTo("text/plain");
        assertThat(m.envelope()).isEqualTo(Envelope.empty());
        assertThat(m.preview()).isEmpty();
        assertThat(m.rawHeader()).isEmpty();
    }

    @Test
    void messageTruncatedInsideAHeaderStillDescribesWhatIsThere() {
        byte[] raw = Generated.truncatedInHeader();
        ParsedMessage m = Corpus.parse(raw);

        assertThat(m.body().parts()).hasSize(1);
        BodyPart cut = m.section(1);
        assertThat(cut.bodyStart()).isEqualTo(raw.length);
        assertThat(cut.size()).isZero();
        assertThat(cut.encoding()).isEqualTo("bas");
        assertThat(m.defects()).contains("missing-close-boundary");

        byte[] inName = "Subject: x\r\nContent-Transfer-Enc".getBytes(StandardCharsets.US_ASCII);
        ParsedMessage cutInName = Corpus.parse(inName);
        assertThat(slice(inName, cutInName.headerLength(), cutInName.size())).isEqualTo("Content-Transfer-Enc");
        assertThat(cutInName.envelope().subject()).isEqualTo("x");
    }

    @Test
    void nestingBeyondTheDepthLimitIsAnOpaqueLeaf() {
        byte[] raw = Generated.nestedMultiparts(80);
        ParsedMessage m = Corpus.parse(raw);

        int depth = 0;
        BodyPart p = m.body();
        while (p.isMultipart()) {
            p = p.parts().get(0);
            depth++;
        }
        assertThat(depth).isEqualTo(ParserLimits.DEFAULTS.maxDepth());
        assertThat(p.mimeType()).isEqualTo("application/octet-stream");
        assertThat(slice(raw, p.bodyStart(), p.bodyEnd())).startsWith("--b50\r\n").contains("innermost text");
        assertThat(m.defects()).contains("depth-limit");
        assertThat(m.search().body()).doesNotContain("innermost");
    }

    @Test
    void veryDeepNestingNeitherOverflowsTheStackNorFails() {
        byte[] raw = Generated.nestedMultiparts(20_000);
        ParsedMessage m = Corpus.parse(raw);
        StructureInvariants.check(raw, m);
        assertThat(m.defects()).contains("depth-limit");

        byte[] messages = Generated.nestedMessages(5_000);
        ParsedMessage nested = Corpus.parse(messages);
        StructureInvariants.check(messages, nested);
        assertThat(nested.defects()).contains("depth-limit");
    }

    @Test
    void nestedMessagesKeepTheirEnvelopesUpToTheLimit() {
        ParsedMessage m = Corpus.parse(Generated.nestedMessages(3));
        assertThat(m.envelope().subject()).isEqualTo("level 0");
        assertThat(m.section(1).envelope().subject()).isEqualTo("level 1");
        assertThat(m.section(1, 1).envelope().subject()).isEqualTo("level 2");
        assertThat(m.section(1, 1, 1).envelope().subject()).isEqualTo("bottom");
        assertThat(m.section(1, 1, 1, 1).mimeType()).isEqualTo("text/plain");
    }

    @Test
    void partsBeyondTheLimitStayUnlisted() {
        byte[] raw = Generated.manyParts(1500);
        ParsedMessage m = Corpus.parse(raw);

        assertThat(m.body().parts()).hasSize(ParserLimits.DEFAULTS.maxParts() - 1); // the root is a part too
        assertThat(m.defects()).contains("part-limit");
        assertThat(m.body().bodyEnd()).isEqualTo(raw.length);

        ParsedMessage small = Corpus.parse(raw, ParserLimits.DEFAULTS.withMaxParts(10));
        assertThat(small.body().parts()).hasSize(9);
    }

    @Test
    void hugeHeaderLineIsCutButOffsetsStayExact() {
        byte[] raw = Generated.hugeHeaderLine(200_000);
        ParsedMessage m = Corpus.parse(raw);

        assertThat(m.envelope().subject()).hasSize(ParserLimits.DEFAULTS.maxHeaderFieldOctets() - 1)
                .startsWith("abcdefghij");
        assertThat(m.envelope().to()).containsExactly(new Address(null, null, "b", "example.org"));
        assertThat(slice(raw, m.headerLength(), m.size())).isEqualTo("body after a huge header\r\n");
        assertThat(m.rawHeader()).isNull();
        assertThat(m.defects()).contains("header-field-truncated");
    }

    @Test
    void tooManyHeaderFieldsAreSkippedButStillHeader() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            sb.append("X-Spam-").append(i).append(": yes\r\n");
        }
        sb.append("Subject: late\r\n\r\nbody\r\n");
        byte[] raw = sb.toString().getBytes(StandardCharsets.US_ASCII);
        ParsedMessage m = Corpus.parse(raw);

        assertThat(m.envelope().subject()).isNull();
        assertThat(slice(raw, m.headerLength(), m.size())).isEqualTo("body\r\n");
        assertThat(m.defects()).contains("header-field-limit");
        assertThat(Corpus.parse(raw, ParserLimits.DEFAULTS.withMaxHeaderFields(5000)).envelope().subject())
                .isEqualTo("late");
    }

    @Test
    void unknownCharsetAndEncodingFallBack() {
        ParsedMessage m = Corpus.parse(Corpus.crlf("""
                Content-Type: multipart/mixed; boundary=u

                --u
                Content-Type: text/plain; charset=x-no-such-charset
                Content-Transfer-Encoding: x-gibberish

                plain words
                --u
                Content-Type: text/plain; charset="utf-8"
                Content-Transfer-Encoding: base64

                aGVsbG8gd29y!!bGQ=
                garbage after padding
                --u--
                """));
        assertThat(m.section(1).encoding()).isEqualTo("x-gibberish");
        assertThat(m.section(1).param("charset")).isEqualTo("x-no-such-charset");
        assertThat(m.search().body()).isEqualTo("plain words hello world");
    }

    @Test
    void multipartWithoutBoundaryOrPartsIsText() {
        ParsedMessage noBoundary = Corpus.parse(Corpus.crlf("Content-Type: multipart/mixed\n\nsome text\n"));
        assertThat(noBoundary.body().mimeType()).isEqualTo("text/plain");
        assertThat(noBoundary.defects()).contains("multipart-without-boundary");
        assertThat(noBoundary.search().body()).isEqualTo("some text");

        byte[] raw = Corpus.crlf("Content-Type: multipart/mixed; boundary=never\n\nno delimiter at all\n");
        ParsedMessage noParts = Corpus.parse(raw);
        assertThat(noParts.body().mimeType()).isEqualTo("text/plain");
        assertThat(noParts.body().size()).isEqualTo("no delimiter at all\r\n".length());
        assertThat(noParts.defects()).contains("multipart-without-parts");
    }

    @Test
    void encodedMessageRfc822IsOpaque() {
        ParsedMessage m = Corpus.parse(Corpus.crlf("""
                Content-Type: multipart/mixed; boundary=e

                --e
                Content-Type: message/rfc822
                Content-Transfer-Encoding: base64

                U3ViamVjdDogeAoKeQo=
                --e--
                """));
        assertThat(m.section(1).mimeType()).isEqualTo("application/octet-stream");
        assertThat(m.section(1).isMessage()).isFalse();
        assertThat(m.defects()).contains("encoded-message-rfc822");
    }

    @Test
    void garbageHeaderLinesAndBadContentType() {
        byte[] raw = Corpus.crlf("""
                 leading continuation
                Subject: ok
                Content-Type: text
                Content-Type: image/png

                body
                """);
        ParsedMessage m = Corpus.parse(raw);
        assertThat(m.envelope().subject()).isEqualTo("ok");
        assertThat(m.body().mimeType()).isEqualTo("text/plain"); // first Content-Type wins, and it is unusable
        assertThat(m.defects()).contains("header-continuation-without-field", "bad-content-type");
        assertThat(slice(raw, m.headerLength(), m.size())).isEqualTo("body\r\n");
    }

    @Test
    void attachedMessageStartsAtTheLineThatEndedAnUnterminatedHeader() {
        byte[] raw = Corpus.crlf("""
                Content-Type: message/rfc822
                >From somebody
                Subject: inner

                inner body
                """);
        ParsedMessage m = Corpus.parse(raw);
        StructureInvariants.check(raw, m);
        BodyPart inner = m.body().message();
        assertThat(slice(raw, inner.headerStart(), inner.bodyStart())).isEmpty();
        assertThat(slice(raw, inner.bodyStart(), inner.bodyEnd())).startsWith(">From somebody");
        assertThat(m.defects()).contains("no-blank-line-after-header");
    }

    @Test
    void ioErrorsPropagate() {
        InputStream failing = new InputStream() {
            private int n;

            @Override
            public int read() throws IOException {
                if (n++ > 100) {
                    throw new IOException("disk gone");
                }
                return 'a';
            }
        };
        assertThatThrownBy(() -> new MessageParser().parse(failing)).isInstanceOf(IOException.class)
                .hasMessage("disk gone");
    }

    @Test
    void limitsRejectNonsense() {
        assertThatThrownBy(() -> ParserLimits.DEFAULTS.withMaxDepth(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ParserLimits.DEFAULTS.withMaxParts(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
