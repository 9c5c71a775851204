package mail.message.dkim;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 of the canonical body, of its first {@code limit} octets when l= says so; counts the whole anyway. */
final class BodyDigest implements MessageReader.BodyConsumer {
    private final MessageDigest sha256;
    private final long limit;
    private long total;

    /** @param limit octets to hash, or -1 for all */
    BodyDigest(long limit) {
        this.limit = limit;
        this.sha256 = sha256();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public void accept(byte[] b, int off, int len) {
        if (limit < 0) {
            sha256.update(b, off, len);
        } else if (total < limit) {
            sha256.update(b, off, (int) Math.min(len, limit - total));
        }
        total += len;
    }

    /** Octets of canonical body seen, hashed or not. */
    long total() {
        return total;
    }

    byte[] digest() {
        return sha256.digest();
    }
}
