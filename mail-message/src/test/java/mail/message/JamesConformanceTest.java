package mail.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Replays the APPENDs of Apache James IMAP conformance scripts into the parser and checks every FETCH whose items
 * only need the model (BODY, BODYSTRUCTURE, ENVELOPE, RFC822.SIZE, and BODY[section]<partial> / RFC822* answered
 * by slicing the raw bytes at the stored offsets) against James's expected server lines. This is an outside
 * check of structure, extension data, envelope parsing, sizes, line counts and every part offset.
 */
class JamesConformanceTest {
    private static final Pattern APPEND = Pattern.compile("C: \\S+ APPEND \\S+ .*\\{(\\d+)\\+?}");
    private static final Pattern FETCH = Pattern.compile("C: (\\S+) FETCH (\\S+) \\((.*)\\)");
    private static final Pattern SECTION = Pattern.compile("(BODY(?:\\.PEEK)?)\\[([^]]*)](?:<(\\d+)\\.(\\d+)>)?");

    @ParameterizedTest
    @CsvSource({
        "FetchSimpleBodyStructure, 1, 21",
        "FetchMultipartBodyStructure, 1, 21",
        "FetchStructureComplex, 1, 121",
        "FetchStructureEmbedded, 1, 21",
        "FetchRFC822Mixed, 1, 4",
        "BodyPartialFetch, 1, 15",
        "FetchEnvelope, 5, 2",
        "FetchHeaderFields, 1, 2",
        "FetchHeaderFieldsNot, 1, 2"})
    void modelAnswersWhatJamesAnswers(String script, int firstSeq, int expectedChecks) throws IOException {
        List<String> lines = script(script);
        List<byte[]> messages = new ArrayList<>();
        Map<Integer, ParsedMessage> parsed = new HashMap<>();
        int checked = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher append = APPEND.matcher(line);
            Matcher fetch = FETCH.matcher(line);
            if (append.matches()) {
                int size = Integer.parseInt(append.group(1));
                StringBuilder literal = new StringBuilder();
                while (literal.toString().getBytes(StandardCharsets.UTF_8).length < size) {
                    String l = lines.get(++i);
                    literal.append(l.length() > 3 ? l.substring(3) : "").append("\r\n");
                }
                byte[] all = literal.toString().getBytes(StandardCharsets.UTF_8);
                byte[] raw = java.util.Arrays.copyOf(all, size);
                parsed.put(firstSeq + messages.size(), Corpus.parse(raw));
                messages.add(raw);
            } else if (fetch.matches()) {
                String tag = fetch.group(1);
                List<String> expected = new ArrayList<>();
                int j = i + 1;
                while (!lines.get(j).startsWith("S: " + tag + " ")) {
                    if (lines.get(j).startsWith("S: ")) {
                        expected.add(withoutFlags(lines.get(j).substring(3)));
                    }
                    j++;
                }
                List<String> actual = new ArrayList<>();
                boolean supported = render(fetch.group(2), fetch.group(3), firstSeq, messages, parsed, actual);
                if (supported && !fetch.group(3).isEmpty()) {
                    assertThat(actual).as("%s %s", script, line).hasSameSizeAs(expected);
                    for (int k = 0; k < expected.size(); k++) {
                        assertThat(actual.get(k)).as("%s %s line %d", script, line, k).matches(expected.get(k));
                    }
                    checked++;
                }
                i = j;
            }
        }
        assertThat(checked).as("FETCH commands checked in %s", script).isEqualTo(expectedChecks);
    }

    private static boolean render(String set, String items, int firstSeq, List<byte[]> messages,
                                  Map<Integer, ParsedMessage> parsed, List<String> out) {
        List<Integer> seqs = new ArrayList<>();
        if (set.equals("1:*")) {
            if (firstSeq != 1) {
                return false;
            }
            for (int s = 1; s <= messages.size(); s++) {
                seqs.add(s);
            }
        } else if (set.matches("\\d+") && parsed.containsKey(Integer.parseInt(set))) {
            seqs.add(Integer.parseInt(set));
        } else {
            return false;
        }
        for (int seq : seqs) {
            ParsedMessage m = parsed.get(seq);
            byte[] raw = messages.get(seq - firstSeq);
            StringBuilder sb = new StringBuilder("* " + seq + " FETCH (");
            boolean first = true;
            for (String item : items.split(" (?![^\\[]*])")) {
                if (!first) {
                    sb.append(' ');
                }
                first = false;
                Matcher section = SECTION.matcher(item);
                if (item.equals("BODY")) {
                    sb.append("BODY ").append(ImapTestRenderer.bodyStructure(m.body(), false));
                } else if (item.equals("BODYSTRUCTURE")) {
                    sb.append("BODYSTRUCTURE ").append(ImapTestRenderer.bodyStructure(m.body(), true));
                } else if (item.equals("ENVELOPE")) {
                    sb.append("ENVELOPE ").append(ImapTestRenderer.envelope(m.envelope()));
                } else if (item.equals("RFC822.SIZE")) {
                    sb.append("RFC822.SIZE ").append(m.size());
                } else if (item.equals("RFC822")) {
                    literal(sb, "RFC822", raw, 0, m.size());
                } else if (item.equals("RFC822.HEADER")) {
                    literal(sb, "RFC822.HEADER", raw, 0, m.headerLength());
                } else if (item.equals("RFC822.TEXT")) {
                    literal(sb, "RFC822.TEXT", raw, m.headerLength(), m.size());
                } else if (section.matches() && section.group(2).startsWith("HEADER.FIELDS")) {
                    String spec = section.group(2);
                    List<String> names = List.of(spec.substring(spec.indexOf('(') + 1, spec.indexOf(')')).split(" "));
                    String fields = HeaderSection.select(m.rawHeader(), names, spec.startsWith("HEADER.FIELDS.NOT"));
                    byte[] bytes = fields.getBytes(StandardCharsets.ISO_8859_1);
                    literal(sb, "BODY[" + spec + "]", bytes, 0, bytes.length);
                } else if (section.matches()) {
                    ByteRange range = m.range(section.group(2));
                    if (range == null) {
                        return false;
                    }
                    String name = "BODY[" + section.group(2) + "]";
                    if (section.group(3) != null) {
                        range = range.partial(Long.parseLong(section.group(3)), Long.parseLong(section.group(4)));
                        name += "<" + section.group(3) + ">";
                    }
                    literal(sb, name, raw, range.from(), range.to());
                } else {
                    return false;
                }
            }
            sb.append(')');
            out.addAll(List.of(sb.toString().split("\r\n", -1)));
        }
        return true;
    }

    private static void literal(StringBuilder sb, String name, byte[] raw, long from, long to) {
        sb.append(name).append(" {").append(to - from).append("}\r\n")
                .append(new String(raw, (int) from, (int) (to - from), StandardCharsets.UTF_8));
    }

    /** James reports the implicit \Seen of the first BODY[] fetch; that is flag state, not message structure. */
    private static String withoutFlags(String regex) {
        int at = regex.indexOf("FLAGS \\(");
        if (at < 0) {
            return regex;
        }
        int end = regex.indexOf("\\) ", at);
        return regex.substring(0, at) + regex.substring(end + 3);
    }

    private static List<String> script(String name) throws IOException {
        try (InputStream in = JamesConformanceTest.class.getResourceAsStream("/james-mpt/" + name + ".test")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return List.of(text.split("\r?\n", -1));
        }
    }
}
