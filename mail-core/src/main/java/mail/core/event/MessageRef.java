package mail.core.event;

import java.util.regex.Pattern;

/**
 * Where the raw message bytes live in the object store. Bodies never travel through Kafka; events carry this
 * reference instead. The key is bucket-less so that the bucket stays deployment configuration.
 */
public record MessageRef(String blobKey, String sha256, long size) {

    public static final String BLOB_KEY_PREFIX = "sha256/";

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public MessageRef {
        Checks.nonBlank(blobKey, "blobKey");
        Checks.required(sha256, "sha256");
        if (!SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex characters, got '" + sha256 + "'");
        }
        if (blobKey.startsWith("/")) {
            throw new IllegalArgumentException("blobKey must be relative to the bucket, got '" + blobKey + "'");
        }
        // Content addressing is what makes re-uploads idempotent; a key that does not name the digest breaks it.
        if (!blobKey.contains(sha256)) {
            throw new IllegalArgumentException("blobKey '" + blobKey + "' does not contain the sha256 " + sha256);
        }
        Checks.atLeast(size, 0, "size");
    }

    /** The reference under the standard {@code sha256/<hex>} key. */
    public static MessageRef of(String sha256, long size) {
        return new MessageRef(BLOB_KEY_PREFIX + sha256, sha256, size);
    }
}
