package mail.core.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers successful password checks for a short time, so that a client opening ten IMAP connections does not cost
 * ten token requests. Only a salted hash of the password is kept; failures are never cached (a user who just fixed a
 * typo must get in), and {@link #invalidate} drops an entry when directory.changes says the account changed.
 */
public final class CachingPasswordVerifier implements PasswordVerifier {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PasswordVerifier delegate;
    private final Duration ttl;
    private final int maxEntries;
    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(byte[] salt, byte[] hash, Instant expires, AuthResult.Success result) {
    }

    public CachingPasswordVerifier(PasswordVerifier delegate, Duration ttl, int maxEntries, Clock clock) {
        this.delegate = delegate;
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    @Override
    public AuthResult verify(String username, String password) {
        if (username == null || password == null) {
            return delegate.verify(username, password);
        }
        String key = username.toLowerCase(java.util.Locale.ROOT);
        Entry e = entries.get(key);
        Instant now = clock.instant();
        if (e != null) {
            if (now.isBefore(e.expires()) && MessageDigest.isEqual(e.hash(), hash(e.salt(), password))) {
                return e.result();
            }
            entries.remove(key, e);
        }
        AuthResult r = delegate.verify(username, password);
        if (r instanceof AuthResult.Success s && !ttl.isZero()) {
            if (entries.size() >= maxEntries) {
                entries.values().removeIf(x -> !now.isBefore(x.expires()));
            }
            if (entries.size() < maxEntries) {
                byte[] salt = new byte[16];
                RANDOM.nextBytes(salt);
                entries.put(key, new Entry(salt, hash(salt, password), now.plus(ttl), s));
            }
        }
        return r;
    }

    public void invalidate(String username) {
        entries.remove(username.toLowerCase(java.util.Locale.ROOT));
    }

    public void invalidateAll() {
        entries.clear();
    }

    int size() {
        return entries.size();
    }

    private static byte[] hash(byte[] salt, String password) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(salt);
            return d.digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
