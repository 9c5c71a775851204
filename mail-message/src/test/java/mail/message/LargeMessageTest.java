package mail.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Bounded memory, proven rather than asserted: a 50 MB message is parsed in a child JVM whose whole heap is
 * 16 MiB, so holding the message or its attachment in memory would end in OutOfMemoryError.
 */
class LargeMessageTest {

    @Test
    void fiftyMegabyteMessageParsesInASixteenMegabyteHeap() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process child = new ProcessBuilder(List.of(java, "-Xmx16m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), LargeMessageCheck.class.getName()))
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
        assertThat(output).contains("max heap").contains("message 50 MiB").endsWith("OK\n");
    }

    @Test
    void theGeneratorReallyIsFiftyMegabytes() {
        assertThat(new LargeMessage().size()).isBetween(50_000_000L, 55_000_000L);
    }
}
