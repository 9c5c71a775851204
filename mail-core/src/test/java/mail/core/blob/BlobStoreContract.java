package mail.core.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import mail.core.event.MessageRef;
import org.junit.jupiter.api.Test;

/** What every {@link BlobStore} must do; run against each implementation. */
public interface BlobStoreContract {

    BlobStore store();

    static byte[] unique(String text) {
        return (text + " " + UUID.randomUUID() + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    default void putThenGetIsByteExactAndAddressedByHash() throws Exception {
        byte[] msg = unique("Subject: hi\r\n\r\nbody with 8bit \u00e9 and CRLF");
        MessageRef ref = store().put(new ByteArrayInputStream(msg));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(msg));
        assertThat(ref.sha256()).isEqualTo(sha);
        assertThat(ref.blobKey()).isEqualTo("sha256/" + sha);
        assertThat(ref.size()).isEqualTo(msg.length);
        try (InputStream in = store().get(ref)) {
            assertThat(in.readAllBytes()).isEqualTo(msg);
        }
        assertThat(store().exists(ref)).isTrue();
        assertThat(store().stat(ref.blobKey())).contains(new BlobStore.BlobStat(ref.blobKey(), msg.length));
    }

    @Test
    default void identicalContentIsStoredOnce() {
        byte[] msg = unique("same");
        MessageRef a = store().put(new ByteArrayInputStream(msg));
        MessageRef b = store().put(new ByteArrayInputStream(msg));
        assertThat(b).isEqualTo(a);
        store().delete(a);
        assertThat(store().exists(b)).isFalse();
    }

    @Test
    default void rangedGetReturnsTheSlice() throws IOException {
        byte[] msg = unique("0123456789abcdefghij");
        MessageRef ref = store().put(new ByteArrayInputStream(msg));
        try (InputStream in = store().getRange(ref, 5, 7)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("56789ab");
        }
        try (InputStream in = store().getRange(ref, msg.length - 3, 100)) {
            assertThat(in.readAllBytes()).hasSize(3);
        }
        try (InputStream in = store().getRange(ref, msg.length + 10, 5)) {
            assertThat(in.readAllBytes()).isEmpty();
        }
        assertThatThrownBy(() -> store().getRange(ref, -1, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    default void emptyMessageIsAValidBlob() throws IOException {
        MessageRef ref = store().put(InputStream.nullInputStream());
        assertThat(ref.size()).isZero();
        assertThat(ref.sha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        try (InputStream in = store().get(ref)) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    default void missingObjectsAreAbsentNotErrors() {
        MessageRef missing = MessageRef.of("0".repeat(64), 10);
        assertThat(store().exists(missing)).isFalse();
        assertThat(store().stat(missing.blobKey())).isEmpty();
        store().delete(missing);
        assertThatThrownBy(() -> store().get(missing).readAllBytes())
                .isInstanceOfSatisfying(BlobStoreException.class, e -> assertThat(e.transientFailure()).isFalse());
    }

    @Test
    default void deleteRemovesTheObject() {
        MessageRef ref = store().put(new ByteArrayInputStream(unique("to delete")));
        store().delete(ref);
        assertThat(store().exists(ref)).isFalse();
    }
}
