package mail.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Push decoding fed in arbitrary pieces gives the same text as fed whole. */
class TextExtractorTest {

    private static String decode(String encoding, Charset charset, boolean html, byte[] input, int piece) {
        CappedText out = new CappedText(10_000);
        TextExtractor x = new TextExtractor(encoding, charset, html, List.of(out));
        for (int i = 0; i < input.length; i += piece) {
            x.feed(input, i, Math.min(piece, input.length - i));
        }
        x.finish();
        return out.toString();
    }

    private static void sameForEveryPieceSize(String encoding, Charset charset, boolean html, String input,
                                              String expected) {
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        for (int piece = 1; piece <= bytes.length; piece++) {
            assertThat(decode(encoding, charset, html, bytes, piece)).as("piece %d", piece).isEqualTo(expected);
        }
    }

    @Test
    void quotedPrintableSoftBreaksHexAndJunk() {
        sameForEveryPieceSize("quoted-printable", StandardCharsets.UTF_8, false,
                "Gr=C3=BC=c3=9Fe=\r\n aus= \t\r\nM=C3=BCnchen =XY = =4", "Grüße ausMünchen =XY = =4");
    }

    @Test
    void base64AcrossLinesWithJunk() {
        sameForEveryPieceSize("base64", StandardCharsets.UTF_8, false, "w4Rw\r\nZmVs IHVu\r\n*ZCDDlmw=\r\n=junk",
                "Äpfel und Öl");
    }

    @Test
    void multiByteCharactersSplitAcrossFeeds() {
        sameForEveryPieceSize("8bit", StandardCharsets.UTF_8, false,
                new String("€ 日本 😀".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1), "€ 日本 😀");
    }

    @Test
    void htmlTagsCommentsScriptsAndEntities() {
        sameForEveryPieceSize("7bit", StandardCharsets.UTF_8, true,
                "<html><head><title>T</title><style>p{}</style></head><body><!-- c -> --><p>a&lt;b&#x41;&#66;"
                        + "&eacute;&Eacute;</p><script>if (1 < 2) x();</script><td>x</td><td>y</td>b<b>o</b>ld"
                        + "&bogus; & done",
                "a<bABéÉ x y bold&bogus; & done");
    }

    @Test
    void cappedTextCollapsesWhitespaceAndNeverSplitsSurrogates() {
        CappedText t = new CappedText(3);
        t.append("  a \t\r\n b😀");
        assertThat(t.toString()).isEqualTo("a b");
        assertThat(t.truncated()).isTrue();
        CappedText s = new CappedText(4);
        s.append("a b😀");
        assertThat(s.toString()).isEqualTo("a b");
    }
}
