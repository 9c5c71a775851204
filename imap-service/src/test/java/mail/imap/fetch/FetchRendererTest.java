package mail.imap.fetch;

import static mail.imap.fetch.StoredMessages.crlf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import mail.imap.protocol.ImapCommand.FetchItem;
import mail.imap.protocol.ImapCommand.Section;
import mail.imap.protocol.ImapCommand.Simple;
import mail.message.ParserLimits;
import org.junit.jupiter.api.Test;

class FetchRendererTest {
    private final MemoryBlobStore blobs = new MemoryBlobStore();
    private final FetchRenderer renderer = new FetchRenderer(blobs, ZoneOffset.ofHours(-7), 1024);

    /** The message of the RFC 9051 §7.5.2 / RFC 3501 §7.4.2 example, with a body of 3028 octets in 92 lines. */
    static byte[] rfcExample() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 91; i++) {
            body.append("x".repeat(31)).append("\r\n");
        }
        body.append("y".repeat(23)).append("\r\n");
        String header = "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\n"
                + "From: Terry Gray <gray@cac.washington.edu>\r\n"
                + "Subject: IMAP4rev1 WG mtg summary and minutes\r\n"
                + "To: imap@cac.washington.edu\r\n"
                + "cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\r\n"
                + "Message-Id: <B27397-0100000@cac.washington.edu>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n"
                + "\r\n";
        return (header + body).getBytes(StandardCharsets.US_ASCII);
    }

    static final String MIXED = """
            From: a@example.com
            To: b@example.com
            Subject: mixed
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="outer"
            Content-Language: en

            preamble
            --outer
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            caf=C3=A9 =
            au lait
            --outer
            Content-Type: message/rfc822
            Content-Disposition: attachment; filename="fwd.eml"

            From: c@example.com
            Subject: inner
            Content-Type: multipart/alternative; boundary="inner"

            --inner
            Content-Type: text/plain

            inner text
            --inner
            Content-Type: text/html

            <p>inner html</p>
            --inner--
            --outer
            Content-Type: application/octet-stream; name="blob.bin"
            Content-Transfer-Encoding: base64
            Content-Disposition: attachment; filename="blob.bin"
            Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==
            Content-Language: en, de
            Content-Location: http://example.com/blob.bin

            AAECAwBG
            AA==
            --outer
            Content-Type: application/x-thing
            Content-Transfer-Encoding: x-uuencode

            begin 644 x
            --outer--
            epilogue
            """;

    private String render(FetchedMessage m, boolean uid, FetchItem... items) {
        return render(m, false, false, uid, items);
    }

    private String render(FetchedMessage m, boolean utf8, boolean flagsChanged, boolean uid, FetchItem... items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        renderer.render(12, m, FetchPlan.of(List.of(items), uid, false), utf8, flagsChanged, out::write);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Simple simple(String name) {
        return new Simple(name);
    }

    static Section body(String section) {
        return section(Section.Kind.BODY, false, section, null);
    }

    static Section section(Section.Kind kind, boolean peek, String section, long[] partial) {
        List<Integer> part = new ArrayList<>();
        String text = null;
        List<String> fields = List.of();
        String spec = section;
        int paren = spec.indexOf(" (");
        if (paren >= 0) {
            fields = Arrays.asList(spec.substring(paren + 2, spec.length() - 1).split(" "));
            spec = spec.substring(0, paren);
        }
        if (!spec.isEmpty()) {
            String[] pieces = spec.split("\\.");
            int i = 0;
            while (i < pieces.length && pieces[i].chars().allMatch(Character::isDigit)) {
                part.add(Integer.parseInt(pieces[i++]));
            }
            if (i < pieces.length) {
                text = String.join(".", Arrays.copyOfRange(pieces, i, pieces.length));
            }
        }
        return new Section(kind, peek, part, text, fields, Optional.ofNullable(partial));
    }

    @Test
    void rfcExampleFlagsDateSizeEnvelopeAndBody() {
        byte[] raw = rfcExample();
        FetchedMessage m = StoredMessages.stored(blobs, raw);
        String r = render(m, false, simple("FLAGS"), simple("INTERNALDATE"), simple("RFC822.SIZE"),
                simple("ENVELOPE"), simple("BODY"));
        assertThat(r).isEqualTo("* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE "
                + raw.length + " ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" "
                + "\"IMAP4rev1 WG mtg summary and minutes\" "
                + "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
                + "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
                + "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
                + "((NIL NIL \"imap\" \"cac.washington.edu\")) "
                + "((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) "
                + "NIL NIL \"<B27397-0100000@cac.washington.edu>\") "
                + "BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))\r\n");
        assertThat(blobs.reads).as("no item here reads the object store").isEmpty();
    }

    @Test
    void uidFetchAddsUidFirstAndModSeqWhenAsked() {
        FetchedMessage m = StoredMessages.stored(blobs, rfcExample());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        renderer.render(3, m, FetchPlan.of(List.of(simple("FLAGS")), true, true), false, false, out::write);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("* 3 FETCH (UID 7 FLAGS (\\Seen) MODSEQ (42))\r\n");
        out.reset();
        renderer.render(3, m, FetchPlan.of(List.of(simple("MODSEQ"), simple("UID")), true, true), false, false,
                out::write);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("* 3 FETCH (MODSEQ (42) UID 7)\r\n");
    }

    @Test
    void implicitSeenAddsFlagsOnce() {
        FetchedMessage m = StoredMessages.stored(blobs, rfcExample(), ParserLimits.DEFAULTS, List.of())
                .withFlags(List.of("\\Seen"), List.of("$Forwarded"));
        assertThat(render(m, false, true, false, body("HEADER.FIELDS (SUBJECT)")))
                .isEqualTo("* 12 FETCH (FLAGS (\\Seen $Forwarded) BODY[HEADER.FIELDS (SUBJECT)] {49}\r\n"
                        + "Subject: IMAP4rev1 WG mtg summary and minutes\r\n\r\n)\r\n");
        assertThat(render(m, false, true, false, simple("FLAGS"), body("HEADER.FIELDS (SUBJECT)")))
                .startsWith("* 12 FETCH (FLAGS (\\Seen $Forwarded) BODY[").endsWith("\r\n\r\n)\r\n");
    }

    /**
     * Parameters come in the order of the header, body and disposition alike, through the parser, the stored document
     * and its decoding (RFC 2045 §5.1 gives the order no meaning; a client shows what the sender wrote). James's
     * scripts expect them sorted by name (JamesCorpusTest FAILING).
     */
    @Test
    void bodyStructureKeepsTheParameterOrderOfTheHeader() {
        FetchedMessage m = StoredMessages.stored(blobs, crlf("""
                From: a@example.com
                Subject: order
                MIME-Version: 1.0
                Content-Type: text/plain; name=rhubarb.txt; format=flowed; charset=us-ascii
                Content-Disposition: attachment; size=482; filename=rhubarb.txt;
                 creation-date="Sat, 20 Jun 2008 10:15:09 +0000"

                Rhubarb
                """));
        assertThat(render(m, false, simple("BODYSTRUCTURE"))).isEqualTo("* 12 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" "
                + "(\"NAME\" \"rhubarb.txt\" \"FORMAT\" \"flowed\" \"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 9 1 NIL "
                + "(\"ATTACHMENT\" (\"SIZE\" \"482\" \"FILENAME\" \"rhubarb.txt\" \"CREATION-DATE\" \"Sat, 20 Jun 2008 10:15:09 +0000\")) "
                + "NIL NIL))\r\n");
    }

    @Test
    void bodyStructureWithExtensionData() {
        FetchedMessage m = StoredMessages.stored(blobs, crlf(MIXED));
        String r = render(m, false, simple("BODYSTRUCTURE"));
        assertThat(r).isEqualTo("* 12 FETCH (BODYSTRUCTURE ("
                + "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"QUOTED-PRINTABLE\" 20 1 NIL NIL NIL NIL)"
                + "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 207 "
                + "(NIL \"inner\" ((NIL NIL \"c\" \"example.com\")) ((NIL NIL \"c\" \"example.com\")) "
                + "((NIL NIL \"c\" \"example.com\")) NIL NIL NIL NIL NIL) "
                + "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 10 0 NIL NIL NIL NIL)"
                + "(\"TEXT\" \"HTML\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 17 0 NIL NIL NIL NIL) "
                + "\"ALTERNATIVE\" (\"BOUNDARY\" \"inner\") NIL NIL NIL) 12 "
                + "NIL (\"ATTACHMENT\" (\"FILENAME\" \"fwd.eml\")) NIL NIL)"
                + "(\"APPLICATION\" \"OCTET-STREAM\" (\"NAME\" \"blob.bin\") NIL NIL \"BASE64\" 14 "
                + "\"Q2hlY2sgSW50ZWdyaXR5IQ==\" (\"ATTACHMENT\" (\"FILENAME\" \"blob.bin\")) (\"en\" \"de\") "
                + "\"http://example.com/blob.bin\")"
                + "(\"APPLICATION\" \"X-THING\" NIL NIL NIL \"X-UUENCODE\" 11 NIL NIL NIL NIL) "
                + "\"MIXED\" (\"BOUNDARY\" \"outer\") NIL (\"en\") NIL))\r\n");
        String body = render(m, false, simple("BODY"));
        assertThat(body).startsWith("* 12 FETCH (BODY ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL "
                + "\"QUOTED-PRINTABLE\" 20 1)(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 207 ");
        assertThat(body).endsWith("(\"APPLICATION\" \"X-THING\" NIL NIL NIL \"X-UUENCODE\" 11) \"MIXED\"))\r\n")
                .doesNotContain("ATTACHMENT").doesNotContain("BOUNDARY");
    }

    private static String literal(String content) {
        return "{" + content.getBytes(StandardCharsets.UTF_8).length + "}\r\n" + content;
    }

    @Test
    void bodySectionsOfNestedParts() {
        FetchedMessage m = StoredMessages.stored(blobs, crlf(MIXED));
        String innerHeader = "From: c@example.com\r\nSubject: inner\r\n"
                + "Content-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n";
        assertThat(render(m, false, body("1"))).isEqualTo("* 12 FETCH (BODY[1] " + literal("caf=C3=A9 =\r\nau lait") + ")\r\n");
        assertThat(render(m, false, body("1.MIME"))).isEqualTo("* 12 FETCH (BODY[1.MIME] " + literal(
                "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n") + ")\r\n");
        assertThat(render(m, false, body("2.HEADER"))).isEqualTo("* 12 FETCH (BODY[2.HEADER] " + literal(innerHeader) + ")\r\n");
        assertThat(render(m, false, body("2.MIME"))).isEqualTo("* 12 FETCH (BODY[2.MIME] " + literal(
                "Content-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"fwd.eml\"\r\n\r\n") + ")\r\n");
        assertThat(render(m, false, body("2.1"))).isEqualTo("* 12 FETCH (BODY[2.1] " + literal("inner text") + ")\r\n");
        assertThat(render(m, false, body("2.2"))).isEqualTo("* 12 FETCH (BODY[2.2] " + literal("<p>inner html</p>") + ")\r\n");
        assertThat(render(m, false, body("2.1.MIME"))).isEqualTo("* 12 FETCH (BODY[2.1.MIME] "
                + literal("Content-Type: text/plain\r\n\r\n") + ")\r\n");
        assertThat(render(m, false, body("2.TEXT"))).startsWith("* 12 FETCH (BODY[2.TEXT] {113}\r\n--inner\r\n")
                .endsWith("--inner--)\r\n");
        assertThat(render(m, false, body("2.HEADER.FIELDS (SUBJECT)")))
                .isEqualTo("* 12 FETCH (BODY[2.HEADER.FIELDS (SUBJECT)] " + literal("Subject: inner\r\n\r\n") + ")\r\n");
        assertThat(render(m, false, body("1.HEADER"))).as("HEADER of a part that is no message")
                .isEqualTo("* 12 FETCH (BODY[1.HEADER] \"\")\r\n");
        assertThat(render(m, false, body("9"), body("2.7"))).as("parts that do not exist")
                .isEqualTo("* 12 FETCH (BODY[9] \"\" BODY[2.7] \"\")\r\n");
        assertThat(render(m, false, body("TEXT"))).startsWith("* 12 FETCH (BODY[TEXT] {" + (crlf(MIXED).length - 148) + "}\r\npreamble\r\n");
    }

    @Test
    void headerFieldsFromTheStoredHeaderWithoutReadingTheBlob() {
        FetchedMessage m = StoredMessages.stored(blobs, crlf(MIXED));
        assertThat(render(m, false, section(Section.Kind.BODY, true, "HEADER.FIELDS (SUBJECT FROM)", null)))
                .isEqualTo("* 12 FETCH (BODY[HEADER.FIELDS (SUBJECT FROM)] "
                        + literal("From: a@example.com\r\nSubject: mixed\r\n\r\n") + ")\r\n");
        assertThat(render(m, false, body("HEADER.FIELDS.NOT (SUBJECT FROM MIME-VERSION CONTENT-TYPE)")))
                .isEqualTo("* 12 FETCH (BODY[HEADER.FIELDS.NOT (SUBJECT FROM MIME-VERSION CONTENT-TYPE)] "
                        + literal("To: b@example.com\r\nContent-Language: en\r\n\r\n") + ")\r\n");
        assertThat(render(m, false, simple("RFC822.HEADER"))).startsWith("* 12 FETCH (RFC822.HEADER {148}\r\nFrom: a@");
        assertThat(blobs.reads).isEmpty();
    }

    @Test
    void headerFieldsFromTheBlobWhenTheHeaderWasTooLongToStore() {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 6000; i++) {
            big.append("X-Filler-").append(i).append(": ").append("f".repeat(40)).append("\r\n");
        }
        byte[] raw = ("Received: one\r\n" + big + "Subject: hidden\r\n  folded on\r\n" + big
                + "To: x@example.com\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(raw.length).isGreaterThan(512 * 1024);
        FetchedMessage m = StoredMessages.stored(blobs, raw);
        assertThat(m.metadata().getString("rawHdr")).as("over the parser's raw header cap").isNull();
        assertThat(render(m, false, body("HEADER.FIELDS (SUBJECT TO)")))
                .isEqualTo("* 12 FETCH (BODY[HEADER.FIELDS (SUBJECT TO)] "
                        + literal("Subject: hidden\r\n  folded on\r\nTo: x@example.com\r\n\r\n") + ")\r\n");
        assertThat(blobs.reads).as("a counting pass and a sending pass over the header range, never the body")
                .hasSize(2).allSatisfy(r -> assertThat(r[1]).isEqualTo(raw.length - 6));
        assertThat(render(m, false, section(Section.Kind.BODY, false, "HEADER.FIELDS (SUBJECT TO)", new long[] {9, 6})))
                .isEqualTo("* 12 FETCH (BODY[HEADER.FIELDS (SUBJECT TO)]<9> {6}\r\nhidden)\r\n");
        String rest = render(m, false, body("HEADER.FIELDS.NOT (RECEIVED SUBJECT TO)"));
        assertThat(rest).startsWith("* 12 FETCH (BODY[HEADER.FIELDS.NOT (RECEIVED SUBJECT TO)] {"
                + (big.length() * 2 + 2) + "}\r\nX-Filler-0: ").endsWith("X-Filler-5999: " + "f".repeat(40) + "\r\n\r\n)\r\n");
        String header = render(m, false, body("HEADER"));
        assertThat(header).startsWith("* 12 FETCH (BODY[HEADER] {" + (raw.length - 6) + "}\r\nReceived: one");
    }

    @Test
    void partialFetchesNameTheOriginAndClip() {
        byte[] raw = rfcExample();
        FetchedMessage m = StoredMessages.stored(blobs, raw);
        String all = new String(raw, StandardCharsets.US_ASCII);
        assertThat(render(m, false, section(Section.Kind.BODY, false, "", new long[] {0, 10})))
                .isEqualTo("* 12 FETCH (BODY[]<0> {10}\r\n" + all.substring(0, 10) + ")\r\n");
        assertThat(render(m, false, section(Section.Kind.BODY, true, "TEXT", new long[] {3000, 100})))
                .isEqualTo("* 12 FETCH (BODY[TEXT]<3000> {28}\r\n" + all.substring(all.length() - 28) + ")\r\n");
        assertThat(render(m, false, section(Section.Kind.BODY, true, "", new long[] {99999, 10})))
                .isEqualTo("* 12 FETCH (BODY[]<99999> \"\")\r\n");
        assertThat(render(m, false, section(Section.Kind.BODY, true, "HEADER", new long[] {6, 5})))
                .isEqualTo("* 12 FETCH (BODY[HEADER]<6> {5}\r\nWed, )\r\n");
        assertThat(blobs.reads).as("ranged reads of exactly the requested octets")
                .extracting(r -> r[0] + ":" + r[1]).containsExactly("0:10", (raw.length - 28) + ":28");
    }

    @Test
    void rfc822ItemsAndWholeMessage() {
        byte[] raw = crlf(MIXED);
        FetchedMessage m = StoredMessages.stored(blobs, raw);
        String all = new String(raw, StandardCharsets.UTF_8);
        assertThat(render(m, false, simple("RFC822"))).isEqualTo("* 12 FETCH (RFC822 {" + raw.length + "}\r\n" + all + ")\r\n");
        assertThat(render(m, false, simple("RFC822.TEXT"))).isEqualTo("* 12 FETCH (RFC822.TEXT {" + (raw.length - 148)
                + "}\r\n" + all.substring(148) + ")\r\n");
        assertThat(render(m, false, body(""), simple("UID"))).isEqualTo("* 12 FETCH (BODY[] {" + raw.length + "}\r\n" + all
                + " UID 7)\r\n");
    }

    @Test
    void binaryDecodesTransferEncodings() {
        FetchedMessage m = StoredMessages.stored(blobs, crlf(MIXED));
        assertThat(render(m, false, section(Section.Kind.BINARY, true, "1", null), section(Section.Kind.BINARY_SIZE, true, "1", null)))
                .isEqualTo("* 12 FETCH (BINARY[1] {13}\r\ncafé au lait BINARY.SIZE[1] 13)\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        renderer.render(1, m, FetchPlan.of(List.of(section(Section.Kind.BINARY, false, "3", null),
                section(Section.Kind.BINARY_SIZE, true, "3", null)), false, false), false, false, out::write);
        byte[] expected = concat("* 1 FETCH (BINARY[3] ~{7}\r\n".getBytes(StandardCharsets.US_ASCII),
                new byte[] {0, 1, 2, 3, 0, 0x46, 0}, " BINARY.SIZE[3] 7)\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(out.toByteArray()).as("NUL octets need literal8 (RFC 3516)").isEqualTo(expected);
        assertThat(render(m, false, section(Section.Kind.BINARY, true, "1", new long[] {3, 4})))
                .isEqualTo("* 12 FETCH (BINARY[1]<3> {4}\r\né a)\r\n");
        assertThat(render(m, false, section(Section.Kind.BINARY, true, "2.1", null)))
                .isEqualTo("* 12 FETCH (BINARY[2.1] {10}\r\ninner text)\r\n");
        assertThat(render(m, false, section(Section.Kind.BINARY_SIZE, true, "2", null)))
                .as("a message part is its own decoding").isEqualTo("* 12 FETCH (BINARY.SIZE[2] 207)\r\n");
        assertThat(render(m, false, section(Section.Kind.BINARY, true, "8", null), section(Section.Kind.BINARY_SIZE, true, "8", null)))
                .isEqualTo("* 12 FETCH (BINARY[8] \"\" BINARY.SIZE[8] 0)\r\n");
    }

    @Test
    void unknownTransferEncodingIsReportedBeforeAnythingIsWritten() {
        FetchedMessage m = StoredMessages.stored(blobs, crlf(MIXED));
        List<byte[]> written = new ArrayList<>();
        FetchPlan plan = FetchPlan.of(List.of(simple("FLAGS"), section(Section.Kind.BINARY, true, "4", null)), false, false);
        assertThatThrownBy(() -> renderer.render(1, m, plan, false, false, (b, o, l) -> written.add(b)))
                .isInstanceOfSatisfying(FetchException.class, e -> {
                    assertThat(e.reason()).isEqualTo(FetchException.Reason.UNKNOWN_CTE);
                    assertThat(e.outputStarted()).isFalse();
                });
        assertThat(written).isEmpty();
        assertThat(render(m, false, body("4"))).as("BODY[4] is still the encoded octets")
                .isEqualTo("* 12 FETCH (BODY[4] {11}\r\nbegin 644 x)\r\n");
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }
}
