package mail.core.blob;

import java.io.InputStream;
import java.util.Optional;
import mail.core.event.MessageRef;

/**
 * Raw messages in the object store, addressed by the SHA-256 of their bytes: the same message stored twice (one
 * message to many recipients, a retried upload) is one object, and a stored message is immutable and byte-exact.
 */
public interface BlobStore {

    /** Streams the bytes in (never all in heap) and returns where they are; idempotent for identical content. */
    MessageRef put(InputStream content) throws BlobStoreException;

    /**
     * Stores a message that the caller already spooled to a local file while hashing it (the SMTP gateway does, as the
     * bytes arrive). The hash is trusted: it names the object.
     */
    MessageRef putSpooled(java.nio.file.Path file, String sha256, long size) throws BlobStoreException;

    /** The whole message. The caller closes the stream. */
    InputStream get(MessageRef ref) throws BlobStoreException;

    /** {@code length} bytes from {@code offset} (fewer at the end of the object). */
    InputStream getRange(MessageRef ref, long offset, long length) throws BlobStoreException;

    Optional<BlobStat> stat(String key) throws BlobStoreException;

    boolean exists(MessageRef ref) throws BlobStoreException;

    /** Removes the object; removing a missing one is not an error. */
    void delete(MessageRef ref) throws BlobStoreException;

    record BlobStat(String key, long size) {
    }
}
