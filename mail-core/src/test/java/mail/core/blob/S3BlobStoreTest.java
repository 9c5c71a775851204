package mail.core.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.MinioClient;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import mail.core.event.MessageRef;
import mail.testsupport.InfraEndpoints;
import mail.testsupport.SharedInfra;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blob store contract against S3Proxy (the local S3), spoken to through the MinIO client. */
class S3BlobStoreTest implements BlobStoreContract {
    private static InfraEndpoints infra;
    private static S3BlobStore store;

    @BeforeAll
    static void connect() {
        infra = SharedInfra.require("s3");
        store = S3BlobStore.create(infra.s3Endpoint(), infra.s3AccessKey(), infra.s3SecretKey(), "us-east-1", "core-contract-test");
        store.ensureBucket();
        store.ensureBucket();
    }

    @Override
    public BlobStore store() {
        return store;
    }

    @Test
    void largeMessageIsStreamedInPartsAndReadBackByteExact(@TempDir Path spool) throws Exception {
        MinioClient client = MinioClient.builder().endpoint(infra.s3Endpoint())
                .credentials(infra.s3AccessKey(), infra.s3SecretKey()).region("us-east-1").build();
        S3BlobStore s = new S3BlobStore(client, "core-contract-test", spool);
        long size = 30L * 1024 * 1024 + 17;
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        // generated on the fly: the test itself never holds the message either
        MessageRef ref = s.put(new GeneratedStream(size, 42, expected));
        assertThat(ref.size()).isEqualTo(size);
        assertThat(ref.sha256()).isEqualTo(HexFormat.of().formatHex(expected.digest()));
        MessageDigest actual = MessageDigest.getInstance("SHA-256");
        long read = 0;
        try (InputStream in = s.get(ref)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; read += n) {
                actual.update(buf, 0, n);
            }
        }
        assertThat(read).isEqualTo(size);
        assertThat(HexFormat.of().formatHex(actual.digest())).isEqualTo(ref.sha256());
        try (Stream<Path> left = Files.list(spool)) {
            assertThat(left).as("spool files are removed").isEmpty();
        }
        s.delete(ref);
    }

    @Test
    void spooledPutCreatesAMissingBucket(@TempDir Path dir) throws Exception {
        S3BlobStore fresh = S3BlobStore.create(infra.s3Endpoint(), infra.s3AccessKey(), infra.s3SecretKey(), "us-east-1",
                "fresh-" + java.util.UUID.randomUUID());
        byte[] msg = BlobStoreContract.unique("first message of a new store");
        Path f = dir.resolve("m.eml");
        Files.write(f, msg);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(msg));
        MessageRef ref = fresh.putSpooled(f, sha, msg.length);
        assertThat(fresh.bucketExists()).isTrue();
        try (InputStream in = fresh.get(ref)) {
            assertThat(in.readAllBytes()).isEqualTo(msg);
        }
    }

    @Test
    void unreachableStoreIsATransientFailure() {
        S3BlobStore down = S3BlobStore.create("http://127.0.0.1:1", "k", "s", "us-east-1", "x");
        assertThatThrownBy(() -> down.put(new ByteArrayInputStream(new byte[] {1, 2, 3})))
                .isInstanceOfSatisfying(BlobStoreException.class, e -> assertThat(e.transientFailure()).isTrue());
        assertThatThrownBy(down::ensureBucket).isInstanceOf(BlobStoreException.class);
    }

    @Test
    void wrongSecretIsRejectedAndNothingIsStored() {
        S3BlobStore wrong = S3BlobStore.create(infra.s3Endpoint(), infra.s3AccessKey(), "not-the-secret", "us-east-1",
                "core-contract-test");
        byte[] msg = BlobStoreContract.unique("never stored");
        assertThatThrownBy(() -> wrong.put(new ByteArrayInputStream(msg)))
                .isInstanceOfSatisfying(BlobStoreException.class, e -> assertThat(e.transientFailure()).isFalse());
        MessageRef wouldBe = store.put(new ByteArrayInputStream(msg));
        store.delete(wouldBe);
        assertThat(store.exists(wouldBe)).isFalse();
    }

    /** Deterministic pseudo-random bytes of a given length, hashed as they are produced. */
    static final class GeneratedStream extends InputStream {
        private final Random random;
        private final MessageDigest digest;
        private long remaining;

        GeneratedStream(long size, long seed, MessageDigest digest) {
            this.remaining = size;
            this.random = new Random(seed);
            this.digest = digest;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, b, off, n);
            digest.update(chunk);
            remaining -= n;
            return n;
        }
    }
}
