package mail.message;

import static mail.message.Corpus.slice;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the model says about each corpus message, with offsets checked by slicing the raw bytes. */
class MessageParserTest {

    @Test
    void simpleMessageIsPartOneWithExactHeaderAndBody() {
        byte[] raw = Corpus.bytes("simple.eml");
        ParsedMessage m = Corpus.parse(raw);

        assertThat(slice(raw, 0, m.headerLength())).startsWith("From: ").endsWith("machine.example.org>\r\n\r\n");
        assertThat(slice(raw, m.headerLength(), m.size())).isEqualTo("Rhubarb!\r\n");
        assertThat(m.bodyLines()).isEqualTo(1);
        assertThat(m.section(1)).isSameAs(m.body());
        assertThat(m.section(2)).isNull();
        assertThat(m.body().mimeType()).isEqualTo("text/plain");
        assertThat(m.body().params()).containsExactly(Map.entry("charset", "US-ASCII"));
        assertThat(m.body().encoding()).isEqualTo("7bit");
        assertThat(m.rawHeader()).isEqualTo(slice(raw, 0, m.headerLength()));
        assertThat(m.date()).isEqualTo(Instant.parse("2008-02-23T13:48:03Z"));
        assertThat(m.messageId()).isEqualTo("<17291729@machine.example.org>");
        assertThat(m.preview()).isEqualTo("Rhubarb!");
        assertThat(m.hasAttachments()).isFalse();
        assertThat(m.eightBit()).isFalse();
        assertThat(m.defects()).isEmpty();

        Envelope e = m.envelope();
        assertThat(e.date()).isEqualTo("Sat, 23 Feb 2008 07:48:03 -0600");
        assertThat(e.subject()).isEqualTo("Rhubarb");
        assertThat(e.from()).containsExactly(new Address("Brian G. Hutton", null, "brian", "example.org"));
        assertThat(e.sender()).isEmpty();
        assertThat(e.replyTo()).isEmpty();
        assertThat(e.to()).containsExactly(new Address("Timothy Taylor", null, "tim", "example.org"),
                new Address(null, null, "faith", "example.org"), new Address("Huh?", null, "sam", "example.org"));
        assertThat(e.cc()).containsExactly(new Address(null, null, "ben", "example.org"),
                new Address("David \"The Thin White Duke\" Bowie", null, "duke", "example.org"));
    }

    @Test
    void alternativeInsideMixedHasExactPartOffsets() {
        byte[] raw = Corpus.bytes("alternative-in-mixed.eml");
        ParsedMessage m = Corpus.parse(raw);

        BodyPart mixed = m.body();
        assertThat(mixed.mimeType()).isEqualTo("multipart/mixed");
        assertThat(slice(raw, mixed.bodyStart(), mixed.bodyEnd())).startsWith("This is the preamble.\r\n--outer\r\n")
                .endsWith("--outer--\r\nThis is the epilogue.\r\n");

        BodyPart alternative = m.section(1);
        assertThat(alternative.mimeType()).isEqualTo("multipart/alternative");
        assertThat(slice(raw, alternative.headerStart(), alternative.bodyStart()))
                .isEqualTo("Content-Type: multipart/alternative; boundary=inner\r\n\r\n");
        assertThat(slice(raw, alternative.bodyStart(), alternative.bodyEnd())).startsWith("--inner\r\n")
                .endsWith("--inner--\r\n"); // the blank line before --outer: its CRLF belongs to the delimiter

        BodyPart plain = m.section(1, 1);
        assertThat(slice(raw, plain.headerStart(), plain.bodyStart())).isEqualTo(
                "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
        assertThat(slice(raw, plain.bodyStart(), plain.bodyEnd()))
                .isEqualTo("Caf=C3=A9 at noon?=20\r\nBring the =\r\ndocs.");
        assertThat(plain.size()).isEqualTo(41);
        assertThat(plain.lines()).isEqualTo(2);
        assertThat(plain.encoding()).isEqualTo("quoted-printable");

        BodyPart html = m.section("1.2");
        assertThat(html.mimeType()).isEqualTo("text/html");
        assertThat(slice(raw, html.bodyStart(), html.bodyEnd())).startsWith("<html>").endsWith("</html>");

        BodyPart pdf = m.section(2);
        assertThat(pdf.mimeType()).isEqualTo("application/pdf");
        assertThat(pdf.filename()).isEqualTo("menu.pdf");
        assertThat(pdf.disposition()).isEqualTo(new Disposition("attachment", Map.of("filename", "menu.pdf")));
        assertThat(slice(raw, pdf.bodyStart(), pdf.bodyEnd())).startsWith("JVBERi0xLjQg").doesNotContain("--outer");
        assertThat(m.section(3)).isNull();
        assertThat(m.section("2.1")).isNull();
        assertThat(m.section("x")).isNull();

        assertThat(m.hasAttachments()).isTrue();
        assertThat(m.preview()).isEqualTo("Café at noon? Bring the docs.");
        assertThat(m.search().body()).isEqualTo("Café at noon? Bring the docs. Café at noon?");
        assertThat(m.threadKey()).isEqualTo("Lunch plans");
        assertThat(m.messageId()).isEqualTo("<m1@example.org>");
        assertThat(m.references()).containsExactly("<r1@example.org>", "<m0@example.org>");
        assertThat(m.envelope().inReplyTo()).isEqualTo("<m0@example.org>");
        assertThat(m.date()).isEqualTo(Instant.parse("1994-02-08T05:52:25Z"));
    }

    @Test
    void attachedMessageContinuesThePartNumbering() {
        byte[] raw = Corpus.bytes("rfc822-attachment.eml");
        ParsedMessage m = Corpus.parse(raw);

        BodyPart attached = m.section(2);
        assertThat(attached.mimeType()).isEqualTo("message/rfc822");
        assertThat(attached.isMessage()).isTrue();
        BodyPart inner = attached.message();
        assertThat(inner.headerStart()).isEqualTo(attached.bodyStart());
        assertThat(slice(raw, inner.headerStart(), inner.bodyStart())).startsWith("From: Carol")
                .endsWith("boundary=\"n1\"\r\n\r\n");
        assertThat(slice(raw, attached.bodyStart(), attached.bodyEnd())).startsWith("From: Carol")
                .endsWith("--n1--\r\n");
        assertThat(attached.envelope().subject()).isEqualTo("The nested one");
        assertThat(attached.envelope().from()).containsExactly(new Address("Carol", null, "carol", "example.org"));
        assertThat(attached.disposition().type()).isEqualTo("attachment");

        assertThat(m.section(2, 1)).isSameAs(inner.parts().get(0));
        assertThat(slice(raw, m.section(2, 1).bodyStart(), m.section(2, 1).bodyEnd())).isEqualTo("nested plain");
        assertThat(slice(raw, m.section(2, 2).bodyStart(), m.section(2, 2).bodyEnd())).isEqualTo("<p>nested html</p>");
        assertThat(m.section(2, 3)).isNull();
        assertThat(m.hasAttachments()).isTrue();
        assertThat(m.preview()).isEqualTo("See attached.");
        assertThat(m.search().body()).isEqualTo("See attached. nested plain nested html");
    }

    @Test
    void attachedNonMultipartMessageIsItsOwnPartOne() {
        byte[] raw = Corpus.crlf("""
                Content-Type: multipart/mixed; boundary=q

                --q
                Content-Type: message/rfc822

                Subject: inner

                inner body
                --q--
                """);
        ParsedMessage m = Corpus.parse(raw);
        BodyPart attached = m.section(1);
        assertThat(m.section(1, 1)).isSameAs(attached.message());
        assertThat(slice(raw, m.section(1, 1).bodyStart(), m.section(1, 1).bodyEnd())).isEqualTo("inner body");
        assertThat(m.section(1, 2)).isNull();
        assertThat(attached.lines()).isEqualTo(2); // "Subject: inner", the blank line; the last CRLF is the delimiter's
    }

    @Test
    void quotedPrintableUtf8AndEncodedWordsInSeveralCharsets() {
        ParsedMessage m = Corpus.parse(Corpus.bytes("qp-utf8.eml"));

        assertThat(m.envelope().subject()).startsWith("=?UTF-8?B?w4RwZmVsIHVuZCDDlmw=?= und");
        assertThat(m.search().subject()).isEqualTo("Äpfel und Öl und てすとПривет");
        assertThat(m.threadKey()).isEqualTo("Äpfel und Öl und てすとПривет");
        assertThat(m.search().from()).isEqualTo("Jörg Müller <joerg@example.de>");
        assertThat(m.search().to()).isEqualTo("André <andre@example.fr>");
        assertThat(m.envelope().from().get(0).personal()).isEqualTo("=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?=");
        assertThat(m.preview()).isEqualTo(
                "Grüße aus München, das ist eine sehr lange Zeile die weich umgebrochen wird. Zweite Zeile €.");
        assertThat(m.date()).isEqualTo(Instant.parse("2024-03-01T09:00:00Z"));
    }

    @Test
    void rfc2231ParametersAreJoinedAndDecoded() {
        ParsedMessage m = Corpus.parse(Corpus.bytes("rfc2231.eml"));
        BodyPart p = m.section(1);

        assertThat(p.params()).containsExactly(Map.entry("name", "Grüße aus München.txt"));
        assertThat(p.disposition().params()).containsExactly(Map.entry("filename", "Bericht für März.pdf"),
                Map.entry("size", "42"));
        assertThat(p.filename()).isEqualTo("Bericht für März.pdf");
        assertThat(p.language()).containsExactly("de", "en");
        assertThat(p.location()).isEqualTo("http://example.org/x.pdf");
        assertThat(p.id()).isEqualTo("<part1@example.org>");
        assertThat(p.description()).isEqualTo("The report");
        assertThat(p.md5()).isEqualTo("Q2hlY2sgSW50ZWdyaXR5IQ==");
        assertThat(m.hasAttachments()).isTrue();
    }

    @Test
    void groupsRoutesCommentsAndBareNames() {
        ParsedMessage m = Corpus.parse(Corpus.bytes("groups.eml"));
        Envelope e = m.envelope();

        assertThat(e.to()).containsExactly(Address.groupStart("A Group"),
                new Address("Chris Jones", null, "c", "a.test"), new Address(null, null, "joe", "where.test"),
                new Address("John", null, "jdoe", "one.test"), Address.groupEnd(),
                new Address(null, null, "mooch", "owatagu.siam.edu"));
        assertThat(e.to().get(0).isGroupStart()).isTrue();
        assertThat(e.to().get(4).isGroupEnd()).isTrue();
        assertThat(e.cc()).containsExactly(Address.groupStart("undisclosed-recipients"), Address.groupEnd());
        assertThat(e.bcc()).containsExactly(new Address(null, "@route1,@route2", "user", "host.test"),
                new Address(null, null, "\"Quoted Local\"", "example.org"), new Address(null, null, "bare", ""));
        assertThat(e.replyTo()).containsExactly(new Address("Old Style Name", null, "old", "example.org"));
        assertThat(e.sender()).containsExactly(
                new Address("=?utf-8?Q?S=C3=A9cr=C3=A9taire?=", null, "sec", "example.org"));
        assertThat(e.messageId()).isEqualTo("no-brackets@example.org");
        assertThat(m.messageId()).isEqualTo("<no-brackets@example.org>");
        assertThat(e.bcc().get(2).addrSpec()).isEqualTo("bare");
        assertThat(e.to().get(0).addrSpec()).isNull();
    }

    @Test
    void eightBitHeadersAreUtf8AndFlagged() {
        ParsedMessage m = Corpus.parse(Corpus.bytes("eight-bit-headers.eml"));

        assertThat(m.utf8Headers()).isTrue();
        assertThat(m.eightBit()).isTrue();
        assertThat(m.envelope().subject()).isEqualTo("Grüße ünd 日本語");
        assertThat(m.envelope().from()).containsExactly(new Address("Jörg", null, "jörg", "bücher.example"));
        assertThat(m.envelope().to()).containsExactly(new Address("山田", null, "yamada", "例え.jp"));
        assertThat(m.preview()).isEqualTo("Hallo Jörg, schöne Grüße.");
        assertThat(m.body().encoding()).isEqualTo("8bit");
    }

    @Test
    void eightBitBodyWithAsciiHeadersNeedsNoSmtputf8() {
        ParsedMessage m = Corpus.parse(Corpus.crlf("Subject: x\n\nbody é\n"));
        assertThat(m.eightBit()).isTrue();
        assertThat(m.utf8Headers()).isFalse();
    }

    @Test
    void htmlOnlyMessagePreviewIsStrippedText() {
        ParsedMessage m = Corpus.parse(Corpus.bytes("html-only.eml"));

        assertThat(m.body().mimeType()).isEqualTo("text/html");
        assertThat(m.preview()).isEqualTo("Hello there café & crème € &unknown;");
        assertThat(m.search().body()).doesNotContain("var x").doesNotContain("hidden").doesNotContain("<");
    }

    @Test
    void previewPrefersPlainTextOverHtmlAndSkipsTextAttachments() {
        ParsedMessage m = Corpus.parse(Corpus.crlf("""
                Content-Type: multipart/mixed; boundary=p

                --p
                Content-Type: text/plain; name=notes.txt
                Content-Disposition: attachment

                attached notes
                --p
                Content-Type: text/html

                <p>the html body</p>
                --p
                Content-Type: text/plain

                the plain body
                --p--
                """));
        assertThat(m.preview()).isEqualTo("the plain body");
        assertThat(m.search().body()).isEqualTo("attached notes the html body the plain body");
        assertThat(m.hasAttachments()).isTrue();
    }

    @Test
    void previewIsCappedAtTheConfiguredLength() {
        String words = "word ".repeat(500);
        ParsedMessage m = Corpus.parse(Corpus.crlf("Subject: long\n\n" + words + "\n"));
        assertThat(m.preview()).hasSize(ParserLimits.DEFAULTS.previewChars() - 1).startsWith("word word");
    }

    @Test
    void digestChildrenDefaultToMessageRfc822() {
        ParsedMessage m = Corpus.parse(Corpus.crlf("""
                Content-Type: multipart/digest; boundary=d

                --d

                Subject: one

                first
                --d
                Content-Type: text/plain

                not a message
                --d--
                """));
        assertThat(m.section(1).mimeType()).isEqualTo("message/rfc822");
        assertThat(m.section(1).envelope().subject()).isEqualTo("one");
        assertThat(m.section(2).mimeType()).isEqualTo("text/plain");
    }

    @Test
    void referencesKeepOrderWithoutDuplicatesAndAreCapped() {
        StringBuilder refs = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            refs.append(" <r").append(i).append("@x>");
        }
        ParsedMessage m = Corpus.parse(Corpus.crlf("References:" + refs + "\nIn-Reply-To: <r149@x> <new@x>\n\n"));
        List<String> r = m.references();
        assertThat(r).hasSize(100).doesNotHaveDuplicates();
        assertThat(r.get(r.size() - 2)).isEqualTo("<r149@x>");
        assertThat(r.get(r.size() - 1)).isEqualTo("<new@x>");
    }

    @Test
    void rawHeaderIsKeptUpToTheLimitOnly() {
        byte[] raw = Corpus.bytes("simple.eml");
        assertThat(Corpus.parse(raw, ParserLimits.DEFAULTS.withMaxRawHeaderOctets(310)).rawHeader())
                .isEqualTo(slice(raw, 0, 310));
        assertThat(Corpus.parse(raw, ParserLimits.DEFAULTS.withMaxRawHeaderOctets(309)).rawHeader()).isNull();
    }

    @Test
    void searchTextIsCappedAndSaysSo() {
        String body = "lorem ipsum ".repeat(10_000);
        ParsedMessage m = Corpus.parse(Corpus.crlf("Subject: cap test\nFrom: a@b.c\n\n" + body),
                ParserLimits.DEFAULTS.withMaxSearchTextChars(1_000));
        SearchText s = m.search();
        assertThat(s.truncated()).isTrue();
        assertThat(s.subject()).isEqualTo("cap test");
        assertThat(s.subject().length() + s.from().length() + s.body().length()).isLessThanOrEqualTo(1_000);
        assertThat(s.body()).startsWith("lorem ipsum");
        assertThat(Corpus.parse(Corpus.crlf("Subject: x\n\nshort\n")).search().truncated()).isFalse();
    }

    @Test
    void sectionRangesForEverySectionKind() {
        byte[] raw = Corpus.bytes("rfc822-attachment.eml");
        ParsedMessage m = Corpus.parse(raw);

        assertThat(m.range("")).isEqualTo(new ByteRange(0, raw.length));
        assertThat(m.range("header")).isEqualTo(new ByteRange(0, m.headerLength()));
        assertThat(m.range("TEXT")).isEqualTo(new ByteRange(m.headerLength(), raw.length));
        ByteRange mime = m.range("2.MIME");
        assertThat(slice(raw, mime.from(), mime.to())).isEqualTo(
                "Content-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n");
        ByteRange header = m.range("2.HEADER");
        assertThat(slice(raw, header.from(), header.to())).startsWith("From: Carol").endsWith("\r\n\r\n");
        ByteRange text = m.range("2.TEXT");
        assertThat(slice(raw, text.from(), text.to())).startsWith("--n1\r\n").endsWith("--n1--\r\n");
        assertThat(m.range("2.2")).isEqualTo(new ByteRange(m.section(2, 2).bodyStart(), m.section(2, 2).bodyEnd()));
        assertThat(m.range("1.HEADER")).isEqualTo(ByteRange.EMPTY);
        assertThat(m.range("9")).isEqualTo(ByteRange.EMPTY);
        assertThat(m.range("9.MIME")).isEqualTo(ByteRange.EMPTY);
        for (String bad : new String[] {"1.", ".1", "1..2", "1.FOO", "abc", "2.HEADER.FIELDS (From)"}) {
            assertThat(m.range(bad)).as(bad).isNull();
        }
        ByteRange whole = m.range("");
        assertThat(whole.partial(10, 5)).isEqualTo(new ByteRange(10, 15));
        assertThat(whole.partial(raw.length + 5, 5)).isEqualTo(new ByteRange(raw.length, raw.length));
        assertThat(whole.partial(raw.length - 2, 100)).isEqualTo(new ByteRange(raw.length - 2, raw.length));
    }
}
