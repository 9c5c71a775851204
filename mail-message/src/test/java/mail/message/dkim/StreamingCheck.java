package mail.message.dkim;

import java.io.ByteArrayInputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Run in a child JVM with a tiny heap by {@link StreamingTest}: signs and verifies a message far larger than it. */
public final class StreamingCheck {
    private StreamingCheck() {
    }

    public static void main(String[] args) throws Exception {
        long size = Long.parseLong(args[0]);
        System.out.println("max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        TestKeys.Generated rsa = TestKeys.rsa("example.test", "rsa1", 2048);
        TestKeys.Generated ed = TestKeys.ed25519("example.test", "ed1");
        BigMessage message = new BigMessage(size);
        System.out.println("message " + message.size() / (1024 * 1024) + " MiB");
        String fields = new DkimSigner().sign(message, List.of(rsa.signing(), ed.signing()));
        DkimVerification v = new DkimVerifier(new TestKeys.MapLookup().put(rsa).put(ed)).verify(new SequenceInputStream(
                new ByteArrayInputStream(fields.getBytes(StandardCharsets.US_ASCII)), new BigMessage(size)));
        System.out.println(v.authResultsClauses());
        if (v.results().size() != 2 || v.passes().size() != 2) {
            System.out.println("FAILED");
            System.exit(1);
        }
        System.out.println("OK");
    }
}
