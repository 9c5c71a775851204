package mail.pop3.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WireSizeTest {

    private static long size(String s) throws Exception {
        return WireSize.of(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void crlfMessagesKeepTheirStoredSize() throws Exception {
        String m = "Subject: a\r\n\r\nbody\r\n.dot\r\n";
        assertThat(size(m)).isEqualTo(m.length());
        assertThat(size("")).isZero();
    }

    @Test
    void bareLineEndsCountAsCrlfAndAnUnendedLastLineIsEnded() throws Exception {
        assertThat(size("a\nb\n")).isEqualTo("a\r\nb\r\n".length());
        assertThat(size("a\rb\r")).isEqualTo("a\r\nb\r\n".length());
        assertThat(size("a\r\n\nb")).isEqualTo("a\r\n\r\nb\r\n".length());
        assertThat(size("a\r")).isEqualTo(3);
        assertThat(size("\n\n")).isEqualTo(4);
    }

    /** Whatever the input, the size is what a client keeps of RETR: DotStuffer's output without stuffing and "." line. */
    @Test
    void equalsWhatDotStufferSendsForArbitraryBytes() throws Exception {
        Random r = new Random(7);
        byte[] alphabet = {'a', '.', '\r', '\n', ' ', 'x'};
        for (int round = 0; round < 500; round++) {
            byte[] msg = new byte[r.nextInt(200)];
            for (int i = 0; i < msg.length; i++) {
                msg[i] = alphabet[r.nextInt(alphabet.length)];
            }
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            DotStuffer d = new DotStuffer(sent::writeBytes, 7, -1);
            d.write(msg, 0, msg.length);
            d.finish();
            assertThat(WireSize.of(new ByteArrayInputStream(msg))).as("round %d", round).isEqualTo(unstuffedLength(sent.toByteArray()));
        }
    }

    private static long unstuffedLength(byte[] reply) {
        long n = 0;
        boolean lineStart = true;
        for (int i = 0; i < reply.length - 3; i++) {
            if (lineStart && reply[i] == '.') {
                lineStart = false;
                continue;
            }
            lineStart = reply[i] == '\n';
            n++;
        }
        return n;
    }
}
