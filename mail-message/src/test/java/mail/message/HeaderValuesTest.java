package mail.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The small header grammars: dates, base subjects, parameter values, address lists, message ids. */
class HeaderValuesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Sat, 23 Feb 2008 07:48:03 -0600            | 2008-02-23T13:48:03Z",
        "23 Feb 2008 07:48:03 +0000                 | 2008-02-23T07:48:03Z",
        "Mon, 7 Feb 1994 21:52:25 -0800 (PST)       | 1994-02-08T05:52:25Z",
        "Mon, 7 Feb 94 21:52 PST                    | 1994-02-08T05:52:00Z",
        "Sat Feb 23 07:48:03 2008                   | 2008-02-23T07:48:03Z",
        "Thu, 1 Jan 2015 00:00:60 GMT               | 2015-01-01T00:00:59Z",
        "1 Mar 2024 10:00 +0100                     | 2024-03-01T09:00:00Z",
        "Tue, 5 Nov 24 1:02:03 EDT                  | 2024-11-05T05:02:03Z"})
    void lenientDates(String header, String expected) {
        assertThat(DateParser.parse(header)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"yesterday", "32 Feb 2008 10:00:00 +0000", "Feb 2008", "99:99:99",
        "Sat, 23 Foo 2008 07:48:03"})
    void unusableDatesAreNull(String header) {
        assertThat(DateParser.parse(header)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Re: hello                         | hello",
        "RE: Re: re:hello                  | hello",
        "Fwd: [list] Re: hello (fwd)       | hello",
        "[list] Re: hello                  | hello",
        "Re[2]: hello                      | hello",
        "[Fwd: Re: hello]                  | hello",
        "[only a blob]                     | [only a blob]",
        "Fw:   spaced\t out  (fwd) (FWD)   | spaced out",
        "Reply to all                      | Reply to all"})
    void baseSubject(String subject, String expected) {
        assertThat(BaseSubject.of(subject)).isEqualTo(expected);
    }

    @Test
    void parameterValuesQuotedContinuedAndCharsetEncoded() {
        MimeValue v = MimeValue.parse("Multipart/Mixed ; Boundary=\"a;b\\\"c\" (comment); x=unquoted value ;;"
                + " title*0*=us-ascii'en'This%20is%20; title*1*=%2A%2A%2Afun%2A%2A%2A; title*2=\" end\"");
        assertThat(v.head()).isEqualTo("multipart/mixed");
        assertThat(v.params()).containsExactly(Map.entry("boundary", "a;b\"c"), Map.entry("x", "unquoted value"),
                Map.entry("title", "This is ***fun*** end"));

        MimeValue unknownCharset = MimeValue.parse("attachment; filename*=x-nope''caf%C3%A9.txt");
        assertThat(unknownCharset.params()).containsEntry("filename", "café.txt");

        MimeValue broken = MimeValue.parse("text/plain; charset=\"utf-8; name");
        assertThat(broken.params()).containsEntry("charset", "utf-8; name");
    }

    @Test
    void addressListEdgeCases() {
        assertThat(AddressParser.parse("")).isEmpty();
        assertThat(AddressParser.parse(" , ,")).isEmpty();
        assertThat(AddressParser.parse("John Q. Public <jqp@example.org>"))
                .containsExactly(new Address("John Q. Public", null, "jqp", "example.org"));
        assertThat(AddressParser.parse("\"Last, First\" <lf@example.org>, other@example.org"))
                .containsExactly(new Address("Last, First", null, "lf", "example.org"),
                        new Address(null, null, "other", "example.org"));
        assertThat(AddressParser.parse("Unclosed <u@example.org"))
                .containsExactly(new Address("Unclosed", null, "u", "example.org"));
        assertThat(AddressParser.parse("team: a@x.org"))
                .containsExactly(Address.groupStart("team"), new Address(null, null, "a", "x.org"),
                        Address.groupEnd());
        assertThat(AddressParser.parse("a) b] <c@d>")).containsExactly(new Address("a) b]", null, "c", "d"));
        assertThat(AddressParser.parse("user@[127.0.0.1]"))
                .containsExactly(new Address(null, null, "user", "[127.0.0.1]"));
    }

    @Test
    void messageIds() {
        assertThat(MessageIds.parse("<a@b> (comment) <c@d>")).containsExactly("<a@b>", "<c@d>");
        assertThat(MessageIds.parse("bare@id.example")).containsExactly("<bare@id.example>");
        assertThat(MessageIds.parse("not an id")).isEmpty();
        assertThat(MessageIds.references("<a@b> <c@d>", "<c@d>", 10)).containsExactly("<a@b>", "<c@d>");
    }

    @Test
    void headerFieldsSelectionKeepsFoldingAndTheBlankLine() {
        String header = "Subject: one\r\n two\r\nFROM: a@b\r\nX-Other: x\r\nsubject: again\r\n\r\n";
        assertThat(HeaderSection.select(header, List.of("subject"), false))
                .isEqualTo("Subject: one\r\n two\r\nsubject: again\r\n\r\n");
        assertThat(HeaderSection.select(header, List.of("Subject", "x-other"), true)).isEqualTo("FROM: a@b\r\n\r\n");
        assertThat(HeaderSection.select("Subject: no blank line\r\n", List.of("to"), false)).isEmpty();
        assertThat(HeaderSection.select("To: bare lf\n\n", List.of("to"), false)).isEqualTo("To: bare lf\n\n");
    }
}
