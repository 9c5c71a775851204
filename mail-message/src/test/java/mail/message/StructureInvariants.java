package mail.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

/**
 * Checks a parse result against the raw bytes it came from: offsets nest and are ordered, every line count is the
 * number of LF octets actually in the body, every multipart child starts right after a delimiter line of its
 * parent's boundary and ends right before one (or at the parent's end), and embedded messages fill their part.
 */
final class StructureInvariants {
    private StructureInvariants() {
    }

    static void check(byte[] raw, ParsedMessage m) {
        assertThat(m.size()).isEqualTo(raw.length);
        BodyPart root = m.body();
        assertThat(root.headerStart()).isZero();
        assertThat(root.bodyStart()).isEqualTo(m.headerLength());
        assertThat(root.bodyEnd()).isEqualTo(m.size());
        assertThat(m.bodyLines()).isEqualTo(root.lines());
        if (m.rawHeader() != null) {
            assertThat(m.rawHeader()).isEqualTo(Corpus.slice(raw, 0, m.headerLength()));
        }
        part(raw, root);
    }

    private static void part(byte[] raw, BodyPart p) {
        assertThat(p.headerStart()).isLessThanOrEqualTo(p.bodyStart());
        assertThat(p.bodyStart()).isLessThanOrEqualTo(p.bodyEnd());
        assertThat(p.bodyEnd()).isLessThanOrEqualTo(raw.length);
        assertThat(p.lines()).as("lines of %s at %d", p.mimeType(), p.bodyStart())
                .isEqualTo(countLf(raw, p.bodyStart(), p.bodyEnd()));
        if (p.isMultipart()) {
            assertThat(p.parts()).isNotEmpty();
            String delimiter = "--" + p.param("boundary");
            long previousEnd = p.bodyStart();
            for (BodyPart child : p.parts()) {
                assertThat(child.headerStart()).isGreaterThanOrEqualTo(previousEnd);
                assertThat(child.bodyEnd()).isLessThanOrEqualTo(p.bodyEnd());
                String before = lineBefore(raw, child.headerStart());
                assertThat(before.strip()).as("line before part at %d", child.headerStart()).isEqualTo(delimiter);
                if (child.bodyEnd() < p.bodyEnd()) {
                    String after = Corpus.slice(raw, child.bodyEnd(),
                            Math.min(raw.length, child.bodyEnd() + 2 + delimiter.length()));
                    assertThat(after.replaceFirst("^\r?\n", "")).as("after part ending at %d", child.bodyEnd())
                            .startsWith(delimiter);
                }
                part(raw, child);
                previousEnd = child.bodyEnd();
            }
        }
        if (p.isMessage()) {
            assertThat(p.type() + "/" + p.subtype()).isEqualTo("message/rfc822");
            assertThat(p.envelope()).isNotNull();
            assertThat(p.message().headerStart()).isEqualTo(p.bodyStart());
            assertThat(p.message().bodyEnd()).isEqualTo(p.bodyEnd());
            part(raw, p.message());
        }
    }

    private static String lineBefore(byte[] raw, long offset) {
        int end = (int) offset;
        int start = end - 1; // the LF ending the delimiter line
        while (start > 0 && raw[start - 1] != '\n') {
            start--;
        }
        return new String(raw, Math.max(start, 0), end - Math.max(start, 0), StandardCharsets.ISO_8859_1);
    }

    static long countLf(byte[] raw, long from, long to) {
        long n = 0;
        for (long i = from; i < to; i++) {
            if (raw[(int) i] == '\n') {
                n++;
            }
        }
        return n;
    }
}
