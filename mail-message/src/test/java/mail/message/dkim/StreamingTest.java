package mail.message.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One streaming pass, proven rather than asserted: a 64 MiB message is signed with both algorithms and verified in a
 * child JVM whose whole heap is 16 MiB, so holding the body would end in OutOfMemoryError.
 */
class StreamingTest {

    @Test
    void sixtyFourMegabytesAreSignedAndVerifiedInASixteenMegabyteHeap() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process child = new ProcessBuilder(List.of(java, "-Xmx16m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), StreamingCheck.class.getName(), Long.toString(64L << 20)))
                .redirectErrorStream(true).start();
        String output;
        try {
            // a bound so a broken build cannot hang forever; not a performance assertion
            boolean finished = child.waitFor(10, TimeUnit.MINUTES);
            output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(finished).as(output).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("max heap").contains("message 64 MiB").contains("dkim=pass (2048-bit key)")
                .contains("dkim=pass (256-bit key)").endsWith("OK\n");
    }

    @Test
    void theGeneratorReallyIsThatBig() throws Exception {
        BigMessage m = new BigMessage(64L << 20);
        byte[] buf = new byte[1 << 16];
        long n = 0;
        int r;
        while ((r = m.read(buf, 0, buf.length)) > 0) {
            n += r;
        }
        assertThat(n).isEqualTo(m.size()).isGreaterThan(63L << 20);
    }
}
