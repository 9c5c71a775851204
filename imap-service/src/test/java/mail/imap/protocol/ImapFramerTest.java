package mail.imap.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImapFramerTest {

    /** Records what the framer reports, as text, so that tests compare one readable list. */
    static class Recorder implements ImapFramer.Handler {
        final List<String> events = new ArrayList<>();
        BiFunction<Long, Boolean, ImapFramer.LiteralDecision> decide = (size, sync) -> ImapFramer.LiteralDecision.HOLD;

        @Override
        public ImapFramer.LiteralDecision literal(List<Segment> soFar, long size, boolean synchronizing, boolean binary) {
            ImapFramer.LiteralDecision d = decide.apply(size, synchronizing);
            events.add("literal " + size + (synchronizing ? "" : "+") + (binary ? " binary" : "") + " -> "
                    + d.getClass().getSimpleName());
            return d;
        }

        @Override
        public void continuation() {
            events.add("+");
        }

        @Override
        public void command(List<Segment> segments) {
            StringBuilder b = new StringBuilder("command");
            for (Segment s : segments) {
                if (s instanceof Segment.Text t) {
                    b.append(" [").append(t).append(']');
                } else if (s instanceof Segment.Literal l) {
                    b.append(" <").append(l.inMemory() ? new String(l.bytes(), StandardCharsets.UTF_8) : "spooled " + l.size()).append('>');
                }
            }
            events.add(b.toString());
        }

        @Override
        public void lineTooLong(byte[] head) {
            events.add("too long: " + new String(head, StandardCharsets.UTF_8));
        }

        @Override
        public void literalFailed(List<Segment> soFar, IOException e) {
            events.add("literal failed: " + e.getMessage());
        }
    }

    private static List<String> frame(String input, int maxLine, int chunk, Recorder r) {
        ImapFramer f = new ImapFramer(r, maxLine);
        byte[] b = input.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i += chunk) {
            f.feed(b, i, Math.min(chunk, b.length - i));
        }
        return r.events;
    }

    private static List<String> frame(String input) {
        return frame(input, 1000, Integer.MAX_VALUE, new Recorder());
    }

    @Test
    void simpleLinesAndBareLf() {
        assertThat(frame("a1 NOOP\r\na2 CAPABILITY\nA3 LOGOUT\r\n"))
                .containsExactly("command [a1 NOOP]", "command [a2 CAPABILITY]", "command [A3 LOGOUT]");
    }

    @Test
    void synchronizingLiteralAsksForContinuation() {
        assertThat(frame("a LOGIN {5}\r\nalice {6}\r\nsecret\r\n")).containsExactly(
                "literal 5 -> Hold", "+", "literal 6 -> Hold", "+", "command [a LOGIN {5}] <alice> [ {6}] <secret> []");
    }

    @Test
    void nonSynchronizingAndBinaryLiterals() {
        assertThat(frame("a APPEND INBOX {3+}\r\nabc\r\nb APPEND x ~{2}\r\n\u0001\u0002\r\n")).containsExactly(
                "literal 3+ -> Hold", "command [a APPEND INBOX {3+}] <abc> []",
                "literal 2 binary -> Hold", "+", "command [b APPEND x ~{2}] <\u0001\u0002> []");
    }

    @Test
    void literalContainingCrlfAndBracesIsTakenByCount() {
        assertThat(frame("a X {9}\r\n{1}\r\nab\r\n\r\n")).containsExactly(
                "literal 9 -> Hold", "+", "command [a X {9}] <{1}\r\nab\r\n> []");
    }

    @Test
    void zeroLengthLiteral() {
        assertThat(frame("a LOGIN {0}\r\n {0+}\r\n\r\n")).containsExactly(
                "literal 0 -> Hold", "+", "literal 0+ -> Hold", "command [a LOGIN {0}] <> [ {0+}] <> []");
    }

    /** Every split of the input gives the same result: the framer keeps no assumption about packet boundaries. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 7, 11})
    void anySplitGivesTheSameCommands(int chunk) {
        String input = "a LOGIN {5}\r\nalice {6+}\r\nsecret\r\nb NOOP\r\nc APPEND x {3}\r\n\r\n.\r\n";
        List<String> whole = frame(input);
        assertThat(frame(input, 1000, chunk, new Recorder())).isEqualTo(whole);
    }

    @Test
    void rejectedSynchronizingLiteralEndsTheCommandAndNothingRuns() {
        Recorder r = new Recorder();
        r.decide = (size, sync) -> size > 10 ? ImapFramer.LiteralDecision.REJECT : ImapFramer.LiteralDecision.HOLD;
        // the client does not send the 100 octets: it waits for a '+' that never comes, then goes on
        assertThat(frame("a APPEND x {100}\r\nb NOOP\r\n", 1000, 3, r))
                .containsExactly("literal 100 -> Reject", "command [b NOOP]");
    }

    @Test
    void rejectedNonSynchronizingLiteralIsReadAndDropped() {
        Recorder r = new Recorder();
        r.decide = (size, sync) -> size > 10 ? ImapFramer.LiteralDecision.REJECT : ImapFramer.LiteralDecision.HOLD;
        String body = "x".repeat(20);
        // the rest of the refused command (" {2+}" and its literal, then the end) is dropped too
        assertThat(frame("a APPEND x {20+}\r\n" + body + " {2+}\r\nxy\r\nc NOOP\r\n", 1000, 4, r))
                .containsExactly("literal 20+ -> Reject", "command [c NOOP]");
    }

    @Test
    void overlongLineIsDroppedWithItsHeadReported() {
        String longLine = "t1 SEARCH " + "A".repeat(200);
        assertThat(frame(longLine + "\r\nt2 NOOP\r\n", 100, 7, new Recorder()))
                .containsExactly("too long: " + longLine.substring(0, 64), "command [t2 NOOP]");
    }

    @Test
    void overlongLineEndingInANonSynchronizingLiteralAlsoDropsTheLiteral() {
        String longLine = "t1 APPEND " + "A".repeat(200) + " {5+}";
        assertThat(frame(longLine + "\r\nabcde\r\nt2 NOOP\r\n", 100, 9, new Recorder()))
                .containsExactly("too long: " + longLine.substring(0, 64), "command [t2 NOOP]");
    }

    @Test
    void lineExactlyAtTheLimitIsAccepted() {
        String line = "t " + "N".repeat(98);
        assertThat(frame(line + "\r\n", 100, 13, new Recorder())).containsExactly("command [" + line + "]");
    }

    @Test
    void bigLiteralsStreamToTheSink() {
        ByteArrayOutputStream sunk = new ByteArrayOutputStream();
        List<String> sinkEvents = new ArrayList<>();
        LiteralSink sink = new LiteralSink() {
            @Override
            public void write(byte[] b, int off, int len) {
                sunk.write(b, off, len);
            }

            @Override
            public void finish() {
                sinkEvents.add("finish");
            }

            @Override
            public void abort() {
                sinkEvents.add("abort");
            }
        };
        Recorder r = new Recorder();
        r.decide = (size, sync) -> new ImapFramer.LiteralDecision.Stream(sink);
        String body = "line\r\n".repeat(1000);
        assertThat(frame("a APPEND INBOX {" + body.length() + "}\r\n" + body + "\r\n", 1000, 17, r))
                .containsExactly("literal " + body.length() + " -> Stream", "+", "command [a APPEND INBOX {6000}] <spooled 6000> []");
        assertThat(sunk.toString(StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(sinkEvents).containsExactly("finish");
    }

    @Test
    void failingSinkDropsTheCommandAndGoesOn() {
        List<String> sinkEvents = new ArrayList<>();
        LiteralSink broken = new LiteralSink() {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void finish() {
                sinkEvents.add("finish");
            }

            @Override
            public void abort() {
                sinkEvents.add("abort");
            }
        };
        Recorder r = new Recorder();
        r.decide = (size, sync) -> new ImapFramer.LiteralDecision.Stream(broken);
        assertThat(frame("a APPEND INBOX {10}\r\n0123456789\r\nb NOOP\r\n", 1000, 4, r))
                .containsExactly("literal 10 -> Stream", "+", "literal failed: disk full", "command [b NOOP]");
        assertThat(sinkEvents).containsExactly("abort");
    }

    @Test
    void closeAbortsAHalfReceivedLiteral() {
        List<String> sinkEvents = new ArrayList<>();
        LiteralSink sink = new LiteralSink() {
            @Override
            public void write(byte[] b, int off, int len) {
            }

            @Override
            public void finish() {
                sinkEvents.add("finish");
            }

            @Override
            public void abort() {
                sinkEvents.add("abort");
            }
        };
        Recorder r = new Recorder();
        r.decide = (size, sync) -> new ImapFramer.LiteralDecision.Stream(sink);
        ImapFramer f = new ImapFramer(r, 1000);
        f.feed("a APPEND INBOX {10}\r\n01234".getBytes(StandardCharsets.US_ASCII));
        f.close();
        assertThat(sinkEvents).containsExactly("abort");
        assertThat(r.events).doesNotContain("command");
    }

    @Test
    void anEmptyLineIsAnEmptyCommand() {
        // the session answers it with an untagged BAD; the framer does not hide it
        assertThat(frame("\r\na NOOP\r\n")).containsExactly("command []", "command [a NOOP]");
    }

    @Test
    void notALiteralAnnouncement() {
        assertThat(frame("a X {abc}\r\nb X {12\r\nc X }\r\nd X {}\r\n")).containsExactly(
                "command [a X {abc}]", "command [b X {12]", "command [c X }]", "command [d X {}]");
    }
}
