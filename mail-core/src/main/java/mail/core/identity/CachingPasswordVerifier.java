package mail.core.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
    private final ConcurrentHashMap<String, Flight> inFlight = new ConcurrentHashMap<>();

    private record Entry(byte[] salt, byte[] hash, Instant expires, AuthResult.Success result) {
    }

    /** A check on its way to the identity provider, with a salted hash of the password it checks. */
    private record Flight(byte[] salt, byte[] hash, CompletableFuture<AuthResult> result) {
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
        // a login storm (every client reconnecting after a restart, a client opening many connections at once):
        // concurrent checks of the same user with the same password share one request to the identity provider
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Flight mine = new Flight(salt, hash(salt, password), new CompletableFuture<>());
        Flight leader = inFlight.putIfAbsent(key, mine);
        if (leader != null) {
            if (MessageDigest.isEqual(leader.hash(), hash(leader.salt(), password))) {
                return await(leader.result());
            }
            // another password for the same user is being checked: that answer says nothing about this one
            return check(key, username, password, now);
        }
        try {
            AuthResult r = check(key, username, password, now);
            mine.result().complete(r);
            return r;
        } catch (RuntimeException ex) {
            mine.result().completeExceptionally(ex);
            throw ex;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private AuthResult check(String key, String username, String password, Instant now) {
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

    private static AuthResult await(CompletableFuture<AuthResult> result) {
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
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
