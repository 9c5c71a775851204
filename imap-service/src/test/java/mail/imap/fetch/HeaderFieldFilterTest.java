package mail.imap.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import mail.message.HeaderSection;
import org.junit.jupiter.api.Test;

/** The streaming filter must give what mail-message's HeaderSection gives, however the octets are chunked. */
class HeaderFieldFilterTest {
    private static final List<String> HEADERS = List.of(
            "From: a@example.com\r\nSubject: hello\r\n  folded\r\nTo: b@example.com\r\n\r\nbody Subject: no\r\n",
            "Subject : spaced name\r\nX-Other: 1\r\n\tcontinued\r\nsubject: second\r\n\r\n",
            "no colon line\r\nSubject: after garbage\r\n\r\n",
            "Subject: bare LF\nTo: x\n\nbody",
            "Subject: no blank line at all\r\nTo: y\r\n",
            "Subject: unterminated last line",
            "\r\nSubject: body only",
            "X-Latin: caf\u00e9\r\nSubject: s\r\n\r\n",
            "Subject: " + "x".repeat(5000) + "\r\n" + "Y".repeat(3000) + ": very long name\r\nTo: z\r\n\r\n");

    private static String filter(String header, List<String> names, boolean exclude, int chunk) {
        byte[] b = header.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HeaderFieldFilter f = new HeaderFieldFilter(names, exclude, out::write);
        for (int i = 0; i < b.length; i += chunk) {
            f.feed(b, i, Math.min(chunk, b.length - i));
        }
        f.finish();
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void sameAsHeaderSectionForEveryChunkSize() {
        for (String header : HEADERS) {
            for (List<String> names : List.of(List.of("SUBJECT"), List.of("to", "X-OTHER"), List.of("X-LATIN"),
                    List.of("NOTHING"))) {
                for (boolean exclude : new boolean[] {false, true}) {
                    String expected = HeaderSection.select(header, names, exclude);
                    for (int chunk : new int[] {1, 2, 3, 7, 64, 100_000}) {
                        assertThat(filter(header, names, exclude, chunk))
                                .as("%s %s %s chunk %d", header.substring(0, Math.min(30, header.length())), names,
                                        exclude, chunk)
                                .isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void stopsAtTheBlankLine() {
        byte[] b = "Subject: a\r\n\r\nSubject: in the body\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HeaderFieldFilter f = new HeaderFieldFilter(List.of("SUBJECT"), false, out::write);
        f.feed(b, 0, b.length);
        assertThat(f.done()).isTrue();
        f.finish();
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("Subject: a\r\n\r\n");
    }
}
