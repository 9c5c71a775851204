package mail.message;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.provider.Arguments;

/** Every message the property tests run over: the corpus files, generated edge cases and the James APPENDs. */
final class TestMessages {
    static final String[] CORPUS = {"simple.eml", "alternative-in-mixed.eml", "rfc822-attachment.eml", "qp-utf8.eml",
        "rfc2231.eml", "groups.eml", "missing-close-boundary.eml", "no-blank-line.eml", "bare-lf.eml",
        "garbage-binary.eml", "empty.eml", "eight-bit-headers.eml", "html-only.eml"};
    private static final String[] SCRIPTS = {"FetchSimpleBodyStructure", "FetchMultipartBodyStructure",
        "FetchStructureComplex", "FetchStructureEmbedded", "FetchRFC822Mixed", "BodyPartialFetch", "FetchEnvelope",
        "FetchHeaderFields"};
    private static final Pattern APPEND = Pattern.compile("C: \\S+ APPEND \\S+ .*\\{(\\d+)\\+?}");

    private TestMessages() {
    }

    static List<Arguments> all() {
        List<Arguments> out = new ArrayList<>();
        for (String name : CORPUS) {
            out.add(Arguments.of(name, Corpus.bytes(name)));
        }
        out.add(Arguments.of("generated: nested 80 deep", Generated.nestedMultiparts(80)));
        out.add(Arguments.of("generated: nested messages 60 deep", Generated.nestedMessages(60)));
        out.add(Arguments.of("generated: 200 KB header line", Generated.hugeHeaderLine(200_000)));
        out.add(Arguments.of("generated: 1500 parts", Generated.manyParts(1500)));
        out.add(Arguments.of("generated: lines around the 16 KiB buffer", Generated.linesAroundBuffer()));
        out.add(Arguments.of("generated: truncated in a header", Generated.truncatedInHeader()));
        out.add(Arguments.of("generated: boundary prefixes", Generated.boundaryPrefixes()));
        for (String script : SCRIPTS) {
            List<byte[]> messages = james(script);
            for (int i = 0; i < messages.size(); i++) {
                out.add(Arguments.of("james " + script + " #" + (i + 1), messages.get(i)));
            }
        }
        return out;
    }

    /** The APPEND literals of a James script, in order. */
    static List<byte[]> james(String script) {
        List<byte[]> out = new ArrayList<>();
        try (InputStream in = TestMessages.class.getResourceAsStream("/james-mpt/" + script + ".test")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\r?\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher m = APPEND.matcher(lines[i]);
                if (m.matches()) {
                    int size = Integer.parseInt(m.group(1));
                    StringBuilder literal = new StringBuilder();
                    while (literal.toString().getBytes(StandardCharsets.UTF_8).length < size) {
                        String l = lines[++i];
                        literal.append(l.length() > 3 ? l.substring(3) : "").append("\r\n");
                    }
                    out.add(Arrays.copyOf(literal.toString().getBytes(StandardCharsets.UTF_8), size));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
