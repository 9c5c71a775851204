package mail.core.abuse;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import mail.core.mongo.CollectionSpec;
import mail.core.mongo.CollectionSpec.IndexSpec;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Authentication failures of every protocol instance (SMTP, IMAP, POP3), counted in MongoDB per client network and
 * per account within a fixed window, and the temporary blocks they lead to. One document per key
 * ({@code ip:<address or /64>} or {@code account:<name>}); no multi-document transactions, since every change is to one
 * document. Documents carry {@code expireAt} for a TTL index, and {@link #purge} removes them where the server does
 * not expire documents itself.
 */
public final class AuthFailureLedger {
    public static final String COLLECTION = "auth_failures";
    private static final int DUPLICATE_KEY_RETRIES = 10;

    /**
     * @param window            failures older than this no longer count
     * @param clientBlockAfter  failures of one client network within the window that block it
     * @param accountBlockAfter failures for one account within the window that block the account (from everywhere:
     *                          a lock-out risk that is why the default is higher than the client's)
     * @param blockFor          how long a block lasts
     */
    public record Settings(Duration window, int clientBlockAfter, int accountBlockAfter, Duration blockFor) {
        public Settings {
            if (window.isNegative() || window.isZero() || blockFor.isNegative() || clientBlockAfter < 1 || accountBlockAfter < 1) {
                throw new IllegalArgumentException("auth failure settings must be positive: " + window + ", " + clientBlockAfter
                        + ", " + accountBlockAfter + ", " + blockFor);
            }
        }

        public static Settings defaults() {
            return new Settings(Duration.ofMinutes(15), 20, 50, Duration.ofMinutes(15));
        }
    }

    /** What is known about one key. */
    public record Entry(String key, int failures, Instant windowStart, Instant lastFailure, Optional<Instant> blockedUntil) {
        public boolean blockedAt(Instant now) {
            return blockedUntil.isPresent() && now.isBefore(blockedUntil.get());
        }
    }

    private final MongoCollection<Document> col;
    private final Settings settings;

    public AuthFailureLedger(MongoDatabase db, Settings settings) {
        this.col = db.getCollection(COLLECTION);
        this.settings = settings;
    }

    public static CollectionSpec spec() {
        return CollectionSpec.of(COLLECTION, IndexSpec.ttl("expiry", Indexes.ascending("expireAt"), 0),
                IndexSpec.plain("blocked", Indexes.ascending("blockedUntil")));
    }

    /** The network a client address is counted in: itself for IPv4, its /64 for IPv6 (one subscriber's usual share). */
    public static String clientNetwork(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] prefix = Arrays.copyOf(address.getAddress(), 8);
            StringBuilder key = new StringBuilder(24);
            for (int i = 0; i < 8; i += 2) {
                key.append(Integer.toHexString(((prefix[i] & 0xff) << 8) | (prefix[i + 1] & 0xff))).append(':');
            }
            return key.append(":/64").toString();
        }
        return address.getHostAddress();
    }

    public static String clientKey(String network) {
        return "ip:" + network;
    }

    public static String accountKey(String account) {
        return "account:" + account.toLowerCase(Locale.ROOT);
    }

    public Settings settings() {
        return settings;
    }

    /** Counts one failure of the client network and, when known, of the account; blocks either at its threshold. */
    public void failure(String clientNetwork, String account, Instant now) {
        count(clientKey(clientNetwork), settings.clientBlockAfter(), now);
        if (account != null && !account.isBlank()) {
            count(accountKey(account), settings.accountBlockAfter(), now);
        }
    }

    /**
     * A successful login forgets the account's failures. The client network's failures stay: one good password
     * from an address must not wipe what it tried against other accounts.
     */
    public void success(String account) {
        col.deleteOne(Filters.and(Filters.eq("_id", accountKey(account)), Filters.eq("blockedUntil", null)));
    }

    /** Keys blocked now. */
    public List<Entry> blocked(Instant now) {
        List<Entry> out = new ArrayList<>();
        Bson blocked = Filters.and(Filters.ne("blockedUntil", null), Filters.gt("blockedUntil", Date.from(now)));
        for (Document d : col.find(blocked).sort(Sorts.ascending("_id")).limit(100_000)) {
            out.add(entry(d));
        }
        return out;
    }

    /** Every key with failures in its window or a block, most recent failure first. */
    public List<Entry> entries(Instant now, int limit) {
        List<Entry> out = new ArrayList<>();
        for (Document d : col.find(Filters.gt("expireAt", Date.from(now))).sort(Sorts.descending("lastFailure")).limit(limit)) {
            out.add(entry(d));
        }
        return out;
    }

    public Optional<Entry> entry(String key) {
        return Optional.ofNullable(col.find(Filters.eq("_id", key)).first()).map(AuthFailureLedger::entry);
    }

    /** Lifts a block and forgets the key's failures; false when there was nothing. */
    public boolean lift(String key) {
        return col.deleteOne(Filters.eq("_id", key)).getDeletedCount() > 0;
    }

    /** Removes what has expired (the TTL index does this on MongoDB proper). */
    public long purge(Instant now) {
        return col.deleteMany(Filters.lte("expireAt", Date.from(now))).getDeletedCount();
    }

    private void count(String key, int blockAfter, Instant now) {
        Date cutoff = Date.from(now.minus(settings.window()));
        for (int attempt = 0; ; attempt++) {
            // ReturnDocument.BEFORE: the local MongoDB-compatible server returns stale AFTER documents under concurrency
            Document before = col.findOneAndUpdate(Filters.and(Filters.eq("_id", key), Filters.gte("windowStart", cutoff)),
                    Updates.combine(Updates.inc("failures", 1), Updates.set("lastFailure", Date.from(now))),
                    new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE));
            if (before != null) {
                int failures = before.getInteger("failures", 0) + 1;
                Date blockedUntil = before.getDate("blockedUntil");
                Instant windowEnd = before.getDate("windowStart").toInstant().plus(settings.window());
                if (failures >= blockAfter && (blockedUntil == null || !blockedUntil.toInstant().isAfter(now))) {
                    Instant until = now.plus(settings.blockFor());
                    col.updateOne(Filters.eq("_id", key), Updates.combine(Updates.set("blockedUntil", Date.from(until)),
                            Updates.set("expireAt", Date.from(later(until, windowEnd)))));
                }
                return;
            }
            // no document, or one from an old window: start a new window (keeping a block that still runs)
            Document old = col.find(Filters.eq("_id", key)).first();
            if (old != null && !old.getDate("windowStart").before(cutoff)) {
                // another instance created the document after our update missed it: count into it
                if (attempt >= DUPLICATE_KEY_RETRIES) {
                    throw new IllegalStateException("auth failure counter " + key + " keeps changing under us");
                }
                continue;
            }
            Date keptBlock = old == null ? null : old.getDate("blockedUntil");
            Instant keep = keptBlock != null && keptBlock.toInstant().isAfter(now) ? keptBlock.toInstant() : null;
            // no blockedUntil field unless blocked: the local MongoDB-compatible server's collection scan takes null for
            // greater than any date
            Document fresh = new Document("_id", key).append("failures", 1).append("windowStart", Date.from(now))
                    .append("lastFailure", Date.from(now)).append("expireAt", Date.from(later(keep, now.plus(settings.window()))));
            if (keep != null) {
                fresh.put("blockedUntil", Date.from(keep));
            }
            if (blockAfter <= 1 && keep == null) {
                Instant until = now.plus(settings.blockFor());
                fresh.put("blockedUntil", Date.from(until));
                fresh.put("expireAt", Date.from(later(until, now.plus(settings.window()))));
            }
            try {
                if (old == null) {
                    col.insertOne(fresh);
                    return;
                }
                Bson sameOld = Filters.and(Filters.eq("_id", key), Filters.eq("windowStart", old.getDate("windowStart")));
                if (col.replaceOne(sameOld, fresh).getMatchedCount() > 0) {
                    return;
                }
            } catch (MongoWriteException e) {
                // the local MongoDB-compatible server reports a duplicate _id as a generic error: check for the document
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY && col.find(Filters.eq("_id", key)).first() == null) {
                    throw e;
                }
            }
            if (attempt >= DUPLICATE_KEY_RETRIES) {
                throw new IllegalStateException("auth failure counter " + key + " keeps changing under us");
            }
            // another instance started the window at the same moment: count into theirs
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private static Entry entry(Document d) {
        Date until = d.getDate("blockedUntil");
        return new Entry(d.getString("_id"), d.getInteger("failures", 0), d.getDate("windowStart").toInstant(),
                d.getDate("lastFailure").toInstant(), Optional.ofNullable(until).map(Date::toInstant));
    }
}
