package mail.imap.fetch;

import static mail.imap.fetch.FetchRendererTest.body;
import static mail.imap.fetch.StoredMessages.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.List;
import mail.imap.protocol.ImapCommand.FetchItem;
import mail.imap.protocol.ImapCommand.Simple;
import mail.message.ParserLimits;
import org.junit.jupiter.api.Test;

/** 8-bit, malformed and deeply nested messages still give well-formed responses. */
class FetchMessagesTest {
    private final MemoryBlobStore blobs = new MemoryBlobStore();
    private final FetchRenderer renderer = new FetchRenderer(blobs, ZoneOffset.UTC, 1024);

    private String render(FetchedMessage m, boolean utf8, FetchItem... items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        renderer.render(1, m, FetchPlan.of(List.of(items), false, false), utf8, false, out::write);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eightBitHeadersAreLiteralsUnlessTheSessionAcceptsUtf8() {
        byte[] raw = crlf("From: Jörg <joerg@example.de>\nSubject: Grüße\n\nHallo\n");
        FetchedMessage m = StoredMessages.stored(blobs, raw);
        String rev1 = render(m, false, new Simple("ENVELOPE"));
        assertThat(rev1).startsWith("* 1 FETCH (ENVELOPE (NIL {7}\r\nGrüße ((");
        assertThat(rev1).contains("(({5}\r\nJörg NIL \"joerg\" \"example.de\"))");
        String rev2 = render(m, true, new Simple("ENVELOPE"));
        assertThat(rev2).isEqualTo("* 1 FETCH (ENVELOPE (NIL \"Grüße\" ((\"Jörg\" NIL \"joerg\" \"example.de\")) "
                + "((\"Jörg\" NIL \"joerg\" \"example.de\")) ((\"Jörg\" NIL \"joerg\" \"example.de\")) NIL NIL NIL NIL NIL))\r\n");
        assertThat(render(m, false, body("HEADER.FIELDS (SUBJECT)")))
                .isEqualTo("* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {20}\r\nSubject: Grüße\r\n\r\n)\r\n");
    }

    @Test
    void quotedSpecialsInEnvelopeStrings() {
        byte[] raw = crlf("Subject: say \"hi\" \\ bye\nFrom: \"Last, First\" <lf@example.com>\nTo: undisclosed-recipients:;\n\nx\n");
        FetchedMessage m = StoredMessages.stored(blobs, raw);
        assertThat(render(m, false, new Simple("ENVELOPE"))).isEqualTo("* 1 FETCH (ENVELOPE (NIL "
                + "\"say \\\"hi\\\" \\\\ bye\" ((\"Last, First\" NIL \"lf\" \"example.com\")) "
                + "((\"Last, First\" NIL \"lf\" \"example.com\")) ((\"Last, First\" NIL \"lf\" \"example.com\")) "
                + "((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)) NIL NIL NIL NIL))\r\n");
    }

    @Test
    void malformedMimeStillRenders() {
        byte[] raw = crlf("""
                Subject: broken
                Content-Type: multipart/mixed; boundary="never-closed"

                --never-closed
                Content-Type: text/plain

                first
                --never-closed
                Content-Type: text/plain; charset="unknown-8bit"
                Content-Transfer-Encoding: quoted-printable

                half =ZZ written""");
        FetchedMessage m = StoredMessages.stored(blobs, raw);
        String bs = render(m, false, new Simple("BODYSTRUCTURE"));
        assertThat(bs).startsWith("* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\"").endsWith(" \"MIXED\" (\"BOUNDARY\" \"never-closed\") NIL NIL NIL))\r\n");
        assertThat(render(m, false, body("2"))).isEqualTo("* 1 FETCH (BODY[2] {16}\r\nhalf =ZZ written)\r\n");
        assertThat(render(m, false, FetchRendererTest.section(mail.imap.protocol.ImapCommand.Section.Kind.BINARY, true, "2", null)))
                .isEqualTo("* 1 FETCH (BINARY[2] {16}\r\nhalf =ZZ written)\r\n");
    }

    @Test
    void aMessageWithoutHeaderOrBlankLine() {
        byte[] raw = crlf("just some text\nwithout any header");
        FetchedMessage m = StoredMessages.stored(blobs, raw);
        String r = render(m, false, new Simple("ENVELOPE"), new Simple("BODY"), body("HEADER.FIELDS (SUBJECT)"),
                body("TEXT"), body("1"));
        assertThat(r).startsWith("* 1 FETCH (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) BODY (\"TEXT\" \"PLAIN\"");
        assertThat(r).endsWith(")\r\n");
    }

    @Test
    void nestingBeyondTheParserCapIsStillGrammatical() {
        StringBuilder b = new StringBuilder("Subject: deep\r\nContent-Type: message/rfc822\r\n\r\n");
        for (int i = 0; i < 5; i++) {
            b.append("Subject: level ").append(i).append("\r\nContent-Type: message/rfc822\r\n\r\n");
        }
        b.append("Subject: bottom\r\n\r\nbottom text\r\n");
        byte[] raw = b.toString().getBytes(StandardCharsets.US_ASCII);
        FetchedMessage m = StoredMessages.stored(blobs, raw, new ParserLimits(3, 1000, 64 * 1024, 1000, 64 * 1024,
                256 * 1024, 200, 100), List.of());
        String r = render(m, false, new Simple("BODYSTRUCTURE"));
        long open = r.chars().filter(c -> c == '(').count();
        long close = r.chars().filter(c -> c == ')').count();
        assertThat(open).isEqualTo(close);
        assertThat(r).contains("\"MESSAGE\" \"RFC822\"");
        assertThat(render(m, false, body("1.1.1.TEXT"))).startsWith("* 1 FETCH (BODY[1.1.1.TEXT] ");
    }
}
