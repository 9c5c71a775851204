package mail.pop3.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DotStufferTest {

    private static String run(String message, long bodyLines, int chunkSize, int feedSize) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DotStuffer s = new DotStuffer(out::writeBytes, chunkSize, bodyLines);
        byte[] b = message.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length && !s.done(); i += feedSize) {
            s.write(b, i, Math.min(feedSize, b.length - i));
        }
        s.finish();
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void crlfMessagePassesUnchangedExceptForTheTerminator() {
        assertThat(run("Subject: a\r\n\r\nbody\r\n", -1, 16, 100)).isEqualTo("Subject: a\r\n\r\nbody\r\n.\r\n");
    }

    @Test
    void leadingDotsAreStuffedOnEveryLineOnly() {
        assertThat(run("S: a\r\n\r\n.\r\n..x\r\na.b\r\n", -1, 4, 3)).isEqualTo("S: a\r\n\r\n..\r\n...x\r\na.b\r\n.\r\n");
    }

    @Test
    void bareLineEndingsBecomeCrlfAndTheLastLineIsEnded() {
        assertThat(run("S: a\n\nx\ry\r\r\n.z", -1, 1024, 1)).isEqualTo("S: a\r\n\r\nx\r\ny\r\n\r\n..z\r\n.\r\n");
    }

    @Test
    void emptyMessageIsJustTheTerminator() {
        assertThat(run("", -1, 8, 1)).isEqualTo(".\r\n");
    }

    @Test
    void topSendsHeaderBlankLineAndTheFirstLinesOfTheBody() {
        String m = "A: 1\r\nB: 2\r\n\r\nl1\r\n.l2\r\nl3\r\n";
        assertThat(run(m, 0, 8, 5)).isEqualTo("A: 1\r\nB: 2\r\n\r\n.\r\n");
        assertThat(run(m, 2, 8, 5)).isEqualTo("A: 1\r\nB: 2\r\n\r\nl1\r\n..l2\r\n.\r\n");
        assertThat(run(m, 99, 8, 5)).isEqualTo("A: 1\r\nB: 2\r\n\r\nl1\r\n..l2\r\nl3\r\n.\r\n");
    }

    @Test
    void topOfAMessageWithoutBodySendsTheHeader() {
        assertThat(run("A: 1\r\nB: 2", 3, 8, 2)).isEqualTo("A: 1\r\nB: 2\r\n.\r\n");
    }

    @Test
    void outputDoesNotDependOnHowInputIsSplit() {
        String m = "X: y\r\n\r\n" + ".line\n".repeat(50) + "end\r";
        String whole = run(m, -1, 1 << 16, Integer.MAX_VALUE / 2);
        for (int feed = 1; feed < 9; feed++) {
            assertThat(run(m, -1, 7, feed)).isEqualTo(whole);
        }
    }
}
