package mail.smtp.data;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import mail.smtp.data.DataDecoder.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DataDecoderTest {

    private static final long BIG = 1 << 20;

    /** What one decode produced: content, verdict, whether it ended and how many input bytes it took. */
    record Result(String content, Outcome outcome, boolean finished, int consumed, long bytesWritten) {
    }

    private static byte[] bytes(String s) {
        return s.getBytes(ISO_8859_1);
    }

    private static Result decode(String input, long maxBytes, int maxLine, int... splits) throws IOException {
        byte[] in = bytes(input);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DataDecoder decoder = new DataDecoder(sink, maxBytes, maxLine);
        int consumed = 0;
        int from = 0;
        List<Integer> cuts = new ArrayList<>();
        for (int s : splits) {
            cuts.add(s);
        }
        cuts.add(in.length);
        for (int cut : cuts) {
            int used = decoder.feed(in, from, cut - from);
            consumed += used;
            if (decoder.finished()) {
                break;
            }
            assertThat(used).as("an unfinished decoder takes the whole chunk").isEqualTo(cut - from);
            from = cut;
        }
        assertThat(decoder.bytesWritten()).isEqualTo(sink.size());
        return new Result(sink.toString(ISO_8859_1), decoder.outcome(), decoder.finished(), consumed,
                decoder.bytesWritten());
    }

    private static Result decode(String input) throws IOException {
        return decode(input, BIG, DataDecoder.RFC5321_MAX_LINE_LENGTH);
    }

    private static Result byteByByte(String input, long maxBytes, int maxLine) throws IOException {
        int[] splits = new int[Math.max(0, input.length() - 1)];
        for (int i = 0; i < splits.length; i++) {
            splits[i] = i + 1;
        }
        return decode(input, maxBytes, maxLine, splits);
    }

    static Stream<Arguments> samples() {
        return Stream.of(
                Arguments.of("Subject: hi\r\n\r\nbody\r\n.\r\n", "Subject: hi\r\n\r\nbody\r\n", Outcome.OK),
                Arguments.of(".\r\n", "", Outcome.OK),
                Arguments.of("\r\n.\r\n", "\r\n", Outcome.OK),
                Arguments.of("..\r\n...\r\n.x\r\n.\r\n", ".\r\n..\r\nx\r\n", Outcome.OK),
                Arguments.of("a\r\n..\r\n.\r\nQUIT\r\n", "a\r\n.\r\n", Outcome.OK),
                Arguments.of("abc.\r\n.\r\n", "abc.\r\n", Outcome.OK),
                Arguments.of("x\r\r\n.\r\n", "x\r", Outcome.BARE_LINE_ENDING),
                Arguments.of("a\n.\nb\r\n.\r\n", "a", Outcome.BARE_LINE_ENDING),
                Arguments.of("a\r.\rb\r\n.\r\n", "a\r", Outcome.BARE_LINE_ENDING),
                Arguments.of("a\n.\r\nb\r\n.\r\nNOOP\r\n", "a", Outcome.BARE_LINE_ENDING),
                Arguments.of("a\r\n.\nb\r\n.\r\n", "a\r\n", Outcome.BARE_LINE_ENDING),
                Arguments.of("a\r\n.\rb\r\n.\r\n", "a\r\n", Outcome.BARE_LINE_ENDING),
                Arguments.of("\n.\r\n\r\n.\r\n", "", Outcome.BARE_LINE_ENDING));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void decodesSamplesInOneChunk(String input, String content, Outcome outcome) throws IOException {
        Result r = decode(input);
        assertThat(r.finished()).isTrue();
        assertThat(r.outcome()).isEqualTo(outcome);
        if (outcome == Outcome.OK) {
            assertThat(r.content()).isEqualTo(content);
        } else {
            assertThat(content).startsWith(r.content());
        }
        assertThat(input.substring(r.consumed())).isIn("", "QUIT\r\n", "NOOP\r\n");
    }

    @ParameterizedTest
    @MethodSource("samples")
    void anySplitIntoTwoOrThreeChunksGivesTheSameResult(String input) throws IOException {
        Result whole = decode(input);
        for (int i = 0; i <= input.length(); i++) {
            assertThat(decode(input, BIG, 1000, i)).as("split at %d", i).isEqualTo(whole);
            for (int j = i; j <= input.length(); j++) {
                assertThat(decode(input, BIG, 1000, i, j)).as("split at %d and %d", i, j).isEqualTo(whole);
            }
        }
        assertThat(byteByByte(input, BIG, 1000)).isEqualTo(whole);
    }

    @Test
    void returnsTheBytesAfterTheTerminatorForTheNextCommand() throws IOException {
        byte[] in = bytes("Hi\r\n.\r\nQUIT\r\n");
        DataDecoder decoder = new DataDecoder(new ByteArrayOutputStream(), BIG);
        int used = decoder.feed(in, 0, in.length);
        assertThat(used).isEqualTo(7);
        assertThat(new String(in, used, in.length - used, ISO_8859_1)).isEqualTo("QUIT\r\n");
        assertThat(decoder.feed(in, used, in.length - used)).as("nothing more once finished").isZero();
    }

    @Test
    void leftoverAfterATerminatorSplitAcrossChunks() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DataDecoder decoder = new DataDecoder(sink, BIG);
        byte[] first = bytes("Hi\r\n.\r");
        byte[] second = bytes("\nMAIL FROM:<a@b>\r\n");
        assertThat(decoder.feed(first, 0, first.length)).isEqualTo(first.length);
        assertThat(decoder.finished()).isFalse();
        assertThat(decoder.feed(second, 0, second.length)).isEqualTo(1);
        assertThat(decoder.finished()).isTrue();
        assertThat(sink.toString(ISO_8859_1)).isEqualTo("Hi\r\n");
    }

    @Test
    void honoursOffsetAndLength() throws IOException {
        byte[] in = bytes("XXXab\r\n.\r\nYYY");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DataDecoder decoder = new DataDecoder(sink, BIG);
        assertThat(decoder.feed(in, 3, 8)).isEqualTo(7);
        assertThat(sink.toString(ISO_8859_1)).isEqualTo("ab\r\n");
        assertThatThrownBy(() -> new DataDecoder(sink, BIG).feed(in, 10, 10))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void heapByteBufferPositionEndsAfterTheTerminator() throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes("??a\r\n.\r\nRSET\r\n"));
        buf.position(2);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DataDecoder decoder = new DataDecoder(sink, BIG);
        assertThat(decoder.feed(buf)).isEqualTo(6);
        assertThat(ISO_8859_1.decode(buf).toString()).isEqualTo("RSET\r\n");
        assertThat(sink.toString(ISO_8859_1)).isEqualTo("a\r\n");
    }

    @Test
    void directAndReadOnlyByteBuffersAreCopiedThroughConstantScratch() throws IOException {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            body.append("line ").append(i).append("\r\n");
        }
        String input = body + ".\r\nQUIT\r\n";
        for (ByteBuffer buf : List.of(ByteBuffer.allocateDirect(input.length()).put(bytes(input)).flip(),
                ByteBuffer.wrap(bytes(input)).asReadOnlyBuffer())) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            DataDecoder decoder = new DataDecoder(sink, BIG);
            int used = decoder.feed(buf);
            assertThat(decoder.finished()).isTrue();
            assertThat(used).isEqualTo(input.length() - 6);
            assertThat(buf.remaining()).isEqualTo(6);
            assertThat(sink.toString(ISO_8859_1)).isEqualTo(body.toString());
        }
    }

    @Test
    void aDotThatIsNotAloneOnItsLineDoesNotEnd() throws IOException {
        for (String notEnd : List.of("abc.\r\n", "abc\r\n. \r\n", "abc\r\n.x\r\n", "abc\r\n..\r\n", "\r\n.\r")) {
            Result r = decode(notEnd);
            assertThat(r.finished()).as("%s", notEnd).isFalse();
            assertThat(r.outcome()).isEqualTo(Outcome.OK);
        }
    }

    @Test
    void smugglingVariantsDoNotEndTheMessageAndAreReportedAtTheRealEnd() throws IOException {
        String tail = "MAIL FROM:<evil@example.com>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\nforged\r\n";
        for (String fakeEnd : List.of("\n.\n", "\r.\r", "\n.\r\n", "\r\n.\n", "\r.\r\n", "\n.\r", "\r\n.\r")) {
            String input = "legit\r\nbody" + fakeEnd + tail + ".\r\n";
            Result r = decode(input);
            assertThat(r.finished()).as("%s", fakeEnd.replace("\r", "CR").replace("\n", "LF")).isTrue();
            assertThat(r.consumed()).isEqualTo(input.length());
            assertThat(r.outcome()).isEqualTo(Outcome.BARE_LINE_ENDING);
            assertThat(r.content()).doesNotContain("MAIL FROM").doesNotContain("forged");
        }
    }

    @Test
    void nothingIsWrittenAfterAnError() throws IOException {
        Result r = decode("good\r\nbad\nlots more text\r\nand more\r\n.\r\n");
        assertThat(r.outcome()).isEqualTo(Outcome.BARE_LINE_ENDING);
        assertThat(r.content()).isEqualTo("good\r\nbad");
    }

    @Test
    void messageExactlyAtTheLimitIsAccepted() throws IOException {
        String content = "12345678\r\n";
        Result r = decode(content + ".\r\n", content.length(), 1000);
        assertThat(r.outcome()).isEqualTo(Outcome.OK);
        assertThat(r.content()).isEqualTo(content);
    }

    @Test
    void messageOneByteOverTheLimitIsTooBigButStillConsumedToTheEnd() throws IOException {
        String content = "123456789\r\n";
        String input = content + "more\r\n.\r\nQUIT\r\n";
        Result r = decode(input, content.length() - 1, 1000);
        assertThat(r.outcome()).isEqualTo(Outcome.TOO_BIG);
        assertThat(r.finished()).isTrue();
        assertThat(r.consumed()).isEqualTo(input.length() - "QUIT\r\n".length());
        assertThat(r.bytesWritten()).isEqualTo(content.length() - 1);
        assertThat(byteByByte(input, content.length() - 1, 1000)).isEqualTo(r);
    }

    @Test
    void transparencyDotsDoNotCountTowardsTheSize() throws IOException {
        Result r = decode("..\r\n.\r\n", 3, 1000);
        assertThat(r.outcome()).isEqualTo(Outcome.OK);
        assertThat(r.content()).isEqualTo(".\r\n");
    }

    @Test
    void emptyMessageFitsAZeroLimit() throws IOException {
        assertThat(decode(".\r\n", 0, 1000).outcome()).isEqualTo(Outcome.OK);
        assertThat(decode("\r\n.\r\n", 0, 1000).outcome()).isEqualTo(Outcome.TOO_BIG);
    }

    @Test
    void lineOfExactlyTheMaximumIncludingCrlfIsAccepted() throws IOException {
        String line = "x".repeat(998) + "\r\n";
        Result r = decode(line + line + ".\r\n");
        assertThat(r.outcome()).isEqualTo(Outcome.OK);
        assertThat(r.content()).isEqualTo(line + line);
    }

    @Test
    void lineOneOctetOverTheMaximumIsTooLong() throws IOException {
        String input = "short\r\n" + "x".repeat(999) + "\r\nafter\r\n.\r\nQUIT\r\n";
        Result r = decode(input);
        assertThat(r.outcome()).isEqualTo(Outcome.LINE_TOO_LONG);
        assertThat(r.finished()).isTrue();
        assertThat(r.consumed()).isEqualTo(input.length() - 6);
        assertThat(r.content()).doesNotContain("after");
        assertThat(byteByByte(input, BIG, 1000)).isEqualTo(r);
    }

    @Test
    void theTransparencyDotIsNotPartOfTheLineLength() throws IOException {
        String line = "." + ".".repeat(8) + "\r\n";
        assertThat(decode(line + ".\r\n", BIG, 10).outcome()).isEqualTo(Outcome.OK);
        assertThat(decode("." + line + ".\r\n", BIG, 10).outcome()).isEqualTo(Outcome.LINE_TOO_LONG);
    }

    @Test
    void configurableLineLimit() throws IOException {
        assertThat(decode("abc\r\n.\r\n", BIG, 5).outcome()).isEqualTo(Outcome.OK);
        assertThat(decode("abcd\r\n.\r\n", BIG, 5).outcome()).isEqualTo(Outcome.LINE_TOO_LONG);
    }

    @Test
    void firstErrorWins() throws IOException {
        Result r = decode("abcdefgh\r\nx\ny\r\n.\r\n", 4, 1000);
        assertThat(r.outcome()).isEqualTo(Outcome.TOO_BIG);
    }

    @Test
    void hugeLineUsesConstantMemoryAndIsReportedTooLong() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DataDecoder decoder = new DataDecoder(sink, Long.MAX_VALUE, 1000);
        byte[] chunk = bytes("y".repeat(64 * 1024));
        for (int i = 0; i < 512; i++) {
            decoder.feed(chunk, 0, chunk.length);
        }
        byte[] end = bytes("\r\n.\r\n");
        decoder.feed(end, 0, end.length);
        assertThat(decoder.finished()).isTrue();
        assertThat(decoder.outcome()).isEqualTo(Outcome.LINE_TOO_LONG);
        assertThat(sink.size()).isEqualTo(1000);
    }

    @Test
    void randomMessagesRoundTripThroughDotStuffingInRandomChunks() throws IOException {
        Random random = new Random(5321);
        String alphabet = ".ab \t.:-=.";
        for (int n = 0; n < 200; n++) {
            StringBuilder original = new StringBuilder();
            StringBuilder wire = new StringBuilder();
            int lines = random.nextInt(20);
            for (int l = 0; l < lines; l++) {
                StringBuilder line = new StringBuilder();
                int len = random.nextInt(12);
                for (int c = 0; c < len; c++) {
                    line.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                original.append(line).append("\r\n");
                wire.append(line.length() > 0 && line.charAt(0) == '.' ? "." : "").append(line).append("\r\n");
            }
            wire.append(".\r\nNEXT");
            byte[] in = bytes(wire.toString());
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            DataDecoder decoder = new DataDecoder(sink, BIG);
            int pos = 0;
            while (!decoder.finished()) {
                int len = Math.min(in.length - pos, random.nextInt(5));
                pos += decoder.feed(in, pos, len);
            }
            assertThat(decoder.outcome()).isEqualTo(Outcome.OK);
            assertThat(sink.toString(ISO_8859_1)).isEqualTo(original.toString());
            assertThat(in.length - pos).isEqualTo(4);
        }
    }

    /** An independent, whole-input model of the rules, to compare with on random CR/LF/dot soup. */
    private static Result reference(String in) {
        int end = -1;
        for (int k = 0; k + 3 <= in.length(); k++) {
            if (in.startsWith(".\r\n", k) && (k == 0 || in.startsWith("\r\n", k - 2))) {
                end = k;
                break;
            }
        }
        String region = end < 0 ? in : in.substring(0, end);
        boolean bare = false;
        for (int i = 0; i < region.length(); i++) {
            char c = region.charAt(i);
            if (c == '\r' && (i + 1 >= in.length() ? false : in.charAt(i + 1) != '\n')) {
                bare = true;
            }
            if (c == '\n' && (i == 0 || region.charAt(i - 1) != '\r')) {
                bare = true;
            }
        }
        StringBuilder content = new StringBuilder();
        if (!bare) {
            for (String line : region.split("(?<=\r\n)")) {
                content.append(line.startsWith(".") ? line.substring(1) : line);
            }
        }
        return new Result(content.toString(), bare ? Outcome.BARE_LINE_ENDING : Outcome.OK, end >= 0,
                end < 0 ? in.length() : end + 3, -1);
    }

    @Test
    void agreesWithAWholeInputModelOnRandomLineEndingSoup() throws IOException {
        Random random = new Random(4_5_2);
        String alphabet = "\r\n.a";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(24);
            for (int i = 0; i < len; i++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String input = sb.toString();
            Result expected = reference(input);
            int split = random.nextInt(input.length() + 1);
            Result actual = decode(input, BIG, 1000, split);
            assertThat(actual.finished()).as("finished %s", escape(input)).isEqualTo(expected.finished());
            assertThat(actual.consumed()).as("consumed %s", escape(input)).isEqualTo(expected.consumed());
            if (!actual.finished()) {
                // Unfinished: an error may still be ahead (a CR at the very end is not yet bare).
                continue;
            }
            assertThat(actual.outcome()).as("outcome %s", escape(input)).isEqualTo(expected.outcome());
            if (expected.outcome() == Outcome.OK) {
                assertThat(actual.content()).as("content %s", escape(input)).isEqualTo(expected.content());
            }
        }
    }

    private static String escape(String s) {
        return s.replace("\r", "<CR>").replace("\n", "<LF>");
    }

    @Test
    void binaryOctetsPassThroughUnchanged() throws IOException {
        byte[] in = new byte[256 + 5];
        for (int i = 0; i < 256; i++) {
            in[i] = (byte) (i == '\r' || i == '\n' ? 'z' : i);
        }
        System.arraycopy(bytes("\r\n.\r\n"), 0, in, 256, 5);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DataDecoder decoder = new DataDecoder(sink, BIG);
        decoder.feed(in, 0, in.length);
        assertThat(decoder.outcome()).isEqualTo(Outcome.OK);
        byte[] expected = new byte[258];
        System.arraycopy(in, 0, expected, 0, 258);
        assertThat(sink.toByteArray()).isEqualTo(expected);
    }

    @Test
    void writesToTheSinkInRunsNotBytes() throws IOException {
        List<Integer> writes = new ArrayList<>();
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) {
                writes.add(1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(len);
            }
        };
        byte[] in = bytes("line one\r\nline two\r\n..dot\r\n.\r\n");
        new DataDecoder(counting, BIG).feed(in, 0, in.length);
        assertThat(writes).containsExactly(20, 6);
    }

    private static final class FailingSink extends OutputStream {
        private final int failAfter;
        private final ByteArrayOutputStream written = new ByteArrayOutputStream();

        FailingSink(int failAfter) {
            this.failAfter = failAfter;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (written.size() + len > failAfter) {
                throw new IOException("disk full");
            }
            written.write(b, off, len);
        }
    }

    @Test
    void aFailingSinkIsAnOutcomeAndTheMessageIsStillReadToItsEnd() throws IOException {
        FailingSink sink = new FailingSink(0);
        DataDecoder decoder = new DataDecoder(sink, BIG);
        byte[] first = bytes("line one\r\n..line two\r\n");
        byte[] second = bytes("MAIL FROM:<not-a-command@example.com>\r\n.\r\nQUIT\r\n");
        assertThat(decoder.feed(first, 0, first.length)).isEqualTo(first.length);
        assertThat(decoder.outcome()).isEqualTo(Outcome.SINK_FAILED);
        assertThat(decoder.sinkFailure()).get().extracting(Throwable::getMessage).isEqualTo("disk full");
        assertThat(decoder.feed(second, 0, second.length)).isEqualTo(second.length - 6);
        assertThat(decoder.finished()).isTrue();
        assertThat(decoder.bytesWritten()).isZero();
    }

    @Test
    void aSinkFailingLaterKeepsWhatItTookAndWritesNothingMore() {
        FailingSink sink = new FailingSink(10);
        DataDecoder decoder = new DataDecoder(sink, BIG);
        byte[] in = bytes("0123456789\r\n.x\r\nmore\r\n.\r\n");
        assertThat(decoder.feed(in, 0, in.length)).isEqualTo(in.length);
        assertThat(decoder.finished()).isTrue();
        assertThat(decoder.outcome()).isEqualTo(Outcome.SINK_FAILED);
        assertThat(decoder.bytesWritten()).isZero();
        assertThat(new DataDecoder(new ByteArrayOutputStream(), BIG).sinkFailure()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 1})
    void rejectsNonsenseLimits(int maxLine) {
        assertThatThrownBy(() -> new DataDecoder(new ByteArrayOutputStream(), BIG, maxLine))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DataDecoder(new ByteArrayOutputStream(), -1, 1000))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
