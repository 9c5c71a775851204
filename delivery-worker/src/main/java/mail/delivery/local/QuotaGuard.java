package mail.delivery.local;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import mail.core.event.DirectorySnapshot.Account;

/**
 * Decides whether one more message fits an account's quota without an exact usage query on every delivery.
 *
 * <p>The exact figures (a sum and a count over the account's messages) are read at most every {@code maxAge} per
 * account and carried forward with what this copy stores. They are trusted only while the account is comfortably
 * below its limits ({@code headroom}, e.g. 0.9 of the quota); near a limit, or once the figures are older than
 * {@code maxAge}, the usage is read again before deciding. Other writers (another copy, IMAP APPEND) are therefore
 * seen within {@code maxAge}, and can only push an account past its quota by what they add in that time beyond the
 * headroom; an expunge elsewhere makes the cached figure too high, which only causes an exact re-read.
 */
public final class QuotaGuard {
    /** The exact usage of an account, over all its mailboxes. */
    public interface Usage {
        long bytes(String accountId);

        long messages(String accountId);
    }

    private record Snapshot(long bytes, long messages, long readAtNanos) {
    }

    private final Usage usage;
    private final LongSupplier nanoClock;
    private final long maxAgeNanos;
    private final double headroom;
    private final Map<String, Snapshot> cache = new ConcurrentHashMap<>();

    public QuotaGuard(Usage usage, LongSupplier nanoClock, Duration maxAge, double headroom) {
        if (headroom <= 0 || headroom > 1) {
            throw new IllegalArgumentException("headroom must be in (0, 1], got " + headroom);
        }
        this.usage = usage;
        this.nanoClock = nanoClock;
        this.maxAgeNanos = maxAge.toNanos();
        this.headroom = headroom;
    }

    public static boolean limited(Account account) {
        return account.quotaBytes() != Account.UNLIMITED || messageLimit(account) > 0;
    }

    /** @return null if a message of {@code size} octets fits, else why not (for the DSN) */
    public String exceeded(Account account, long size) {
        String id = account.accountId();
        long now = nanoClock.getAsLong();
        Snapshot s = cache.get(id);
        if (s != null && now - s.readAtNanos() < maxAgeNanos && comfortable(account, s, size)) {
            return null;
        }
        boolean bytes = account.quotaBytes() != Account.UNLIMITED;
        boolean count = messageLimit(account) > 0;
        s = new Snapshot(bytes ? usage.bytes(id) : 0, count ? usage.messages(id) : 0, now);
        cache.put(id, s);
        if (bytes && s.bytes() + size > account.quotaBytes()) {
            return "mailbox full: " + s.bytes() + " of " + account.quotaBytes() + " octets used, message has " + size;
        }
        if (count && s.messages() + 1 > messageLimit(account)) {
            return "mailbox full: " + s.messages() + " of " + messageLimit(account) + " messages";
        }
        return null;
    }

    /** A message of {@code size} octets was stored for the account by this copy. */
    public void stored(String accountId, long size) {
        cache.computeIfPresent(accountId, (k, s) -> new Snapshot(s.bytes() + size, s.messages() + 1, s.readAtNanos()));
    }

    private boolean comfortable(Account account, Snapshot s, long size) {
        boolean bytesOk = account.quotaBytes() == Account.UNLIMITED || s.bytes() + size <= headroom * account.quotaBytes();
        long maxMessages = messageLimit(account);
        boolean countOk = maxMessages <= 0 || s.messages() + 1 <= headroom * maxMessages;
        return bytesOk && countOk;
    }

    private static long messageLimit(Account account) {
        return account.messageQuota();
    }
}
