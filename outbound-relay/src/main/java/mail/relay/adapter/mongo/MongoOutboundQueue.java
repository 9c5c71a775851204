package mail.relay.adapter.mongo;

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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import mail.core.event.EventCodec;
import mail.core.event.OutboundRequested;
import mail.core.event.Recipient;
import mail.core.mongo.CollectionSpec;
import mail.core.mongo.CollectionSpec.IndexSpec;
import mail.relay.queue.EntryState;
import mail.relay.queue.OutboundQueue;
import mail.relay.queue.QueueEntry;
import mail.relay.queue.QueuedRecipient;
import mail.relay.queue.RecipientState;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The queue as one MongoDB document per (message, destination domain), keyed by the request's event id. Claims are
 * single-document findOneAndUpdate calls (no transactions, which the local MongoDB-compatible server lacks), and every
 * write of a claimed entry is fenced by its lease token, so a copy whose lease ran out cannot overwrite the work of the
 * copy that took over.
 */
public final class MongoOutboundQueue implements OutboundQueue {
    public static final String COLLECTION = "outbound_queue";
    private static final Date FREE = new Date(0);

    private final MongoCollection<Document> queue;
    private final EventCodec codec = new EventCodec();

    public MongoOutboundQueue(MongoDatabase db) {
        this.queue = db.getCollection(COLLECTION);
    }

    public static CollectionSpec spec() {
        return CollectionSpec.of(COLLECTION,
                IndexSpec.plain("due", Indexes.ascending("state", "nextAttemptAt")),
                IndexSpec.plain("domain", Indexes.ascending("domain")),
                IndexSpec.plain("sender", Indexes.ascending("sender")),
                IndexSpec.plain("rcpts", Indexes.ascending("rcpts")));
    }

    @Override
    public boolean enqueue(OutboundRequested request, Instant now, String traceparent) {
        Document d = toDocument(QueueEntry.of(request, now, traceparent));
        d.put("leaseToken", null);
        d.put("leaseUntil", FREE);
        // a redelivered event (at-least-once) usually finds its document: answered without a write, because the
        // local MongoDB-compatible server reports a duplicate insert as a generic error rather than a duplicate key
        if (queue.find(Filters.eq("_id", d.get("_id"))).projection(new Document("_id", 1)).first() != null) {
            return false;
        }
        try {
            queue.insertOne(d);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<Claim> claim(Instant now, Duration lease) {
        String token = UUID.randomUUID().toString();
        Bson due = Filters.and(Filters.in("state", EntryState.QUEUED.name(), EntryState.DEFERRED.name(), EntryState.BOUNCING.name()),
                Filters.lte("nextAttemptAt", Date.from(now)), Filters.lte("leaseUntil", Date.from(now)));
        // BEFORE: the local server's AFTER copy can be torn under concurrency; the fields we need are not changed here
        Document before = queue.findOneAndUpdate(due,
                Updates.combine(Updates.set("leaseToken", token), Updates.set("leaseUntil", Date.from(now.plus(lease)))),
                new FindOneAndUpdateOptions().sort(Sorts.ascending("nextAttemptAt")).returnDocument(ReturnDocument.BEFORE));
        return before == null ? Optional.empty() : Optional.of(new Claim(fromDocument(before), token));
    }

    @Override
    public Optional<Claim> claim(String id, Instant now, Duration lease) {
        String token = UUID.randomUUID().toString();
        Bson free = Filters.and(Filters.eq("_id", id), Filters.ne("state", EntryState.DONE.name()),
                Filters.lte("leaseUntil", Date.from(now)));
        Document before = queue.findOneAndUpdate(free,
                Updates.combine(Updates.set("leaseToken", token), Updates.set("leaseUntil", Date.from(now.plus(lease)))),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE));
        return before == null ? Optional.empty() : Optional.of(new Claim(fromDocument(before), token));
    }

    @Override
    public boolean save(Claim claim, QueueEntry entry, boolean release) {
        Document d = toDocument(entry);
        List<Bson> sets = new ArrayList<>();
        d.forEach((k, v) -> {
            if (!"_id".equals(k)) {
                sets.add(Updates.set(k, v));
            }
        });
        if (release) {
            sets.add(Updates.set("leaseToken", null));
            sets.add(Updates.set("leaseUntil", FREE));
        }
        return queue.updateOne(Filters.and(Filters.eq("_id", entry.id()), Filters.eq("leaseToken", claim.leaseToken())),
                Updates.combine(sets)).getMatchedCount() == 1;
    }

    @Override
    public boolean renew(Claim claim, Instant until) {
        return queue.updateOne(Filters.and(Filters.eq("_id", claim.entry().id()), Filters.eq("leaseToken", claim.leaseToken())),
                Updates.set("leaseUntil", Date.from(until))).getMatchedCount() == 1;
    }

    @Override
    public Optional<QueueEntry> find(String id) {
        return Optional.ofNullable(queue.find(Filters.eq("_id", id)).first()).map(this::fromDocument);
    }

    @Override
    public List<QueueEntry> list(Filter f, int limit) {
        List<Bson> and = new ArrayList<>();
        if (f.sender() != null) {
            and.add(Filters.eq("sender", f.sender().toLowerCase(Locale.ROOT)));
        }
        if (f.recipient() != null) {
            and.add(Filters.eq("rcpts", f.recipient().toLowerCase(Locale.ROOT)));
        }
        if (f.domain() != null) {
            and.add(Filters.eq("domain", f.domain().toLowerCase(Locale.ROOT)));
        }
        if (f.state() != null) {
            and.add(Filters.eq("state", f.state().name()));
        }
        Bson filter = and.isEmpty() ? new Document() : Filters.and(and);
        List<QueueEntry> out = new ArrayList<>();
        queue.find(filter).sort(Sorts.ascending("enqueuedAt")).limit(limit).forEach(d -> out.add(fromDocument(d)));
        return out;
    }

    @Override
    public boolean retryNow(String id, Instant now) {
        return queue.updateOne(Filters.and(Filters.eq("_id", id),
                        Filters.in("state", EntryState.QUEUED.name(), EntryState.DEFERRED.name(), EntryState.BOUNCING.name())),
                Updates.set("nextAttemptAt", Date.from(now))).getMatchedCount() == 1;
    }

    @Override
    public boolean delete(String id) {
        return queue.deleteOne(Filters.eq("_id", id)).getDeletedCount() == 1;
    }

    @Override
    public Map<EntryState, Long> countByState() {
        Map<EntryState, Long> m = new EnumMap<>(EntryState.class);
        for (EntryState s : EntryState.values()) {
            m.put(s, queue.countDocuments(Filters.eq("state", s.name())));
        }
        return m;
    }

    private Document toDocument(QueueEntry e) {
        OutboundRequested r = e.request();
        List<Document> rcpts = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (QueuedRecipient q : e.recipients()) {
            rcpts.add(new Document("address", q.address()).append("state", q.state().name()).append("attempts", q.attempts())
                    .append("lastReply", q.lastReply()).append("status", q.status()).append("updatedAt", Date.from(q.updatedAt())));
            addresses.add(q.address().toLowerCase(Locale.ROOT));
        }
        return new Document("_id", e.id())
                .append("event", new String(codec.encode(r), StandardCharsets.UTF_8))
                .append("sender", r.reversePath().toLowerCase(Locale.ROOT))
                .append("domain", r.domain())
                .append("rcpts", addresses)
                .append("recipients", rcpts)
                .append("state", e.state().name())
                .append("attempts", e.attempts())
                .append("nextAttemptAt", Date.from(e.nextAttemptAt()))
                .append("enqueuedAt", Date.from(e.enqueuedAt()))
                .append("delayWarned", e.delayWarned())
                .append("lastError", e.lastError())
                .append("signature", e.signature())
                .append("traceparent", e.traceparent());
    }

    private QueueEntry fromDocument(Document d) {
        OutboundRequested r = codec.decode(d.getString("event").getBytes(StandardCharsets.UTF_8), OutboundRequested.class);
        Map<String, Recipient> byAddress = new HashMap<>();
        r.recipients().forEach(x -> byAddress.put(x.address(), x));
        List<QueuedRecipient> rcpts = new ArrayList<>();
        for (Document q : d.getList("recipients", Document.class)) {
            Recipient rcpt = byAddress.get(q.getString("address"));
            if (rcpt == null) {
                throw new IllegalStateException("queue entry " + d.get("_id") + " names a recipient its request lacks");
            }
            rcpts.add(new QueuedRecipient(rcpt, RecipientState.valueOf(q.getString("state")), q.getInteger("attempts", 0),
                    q.getString("lastReply"), q.getString("status"), q.getDate("updatedAt").toInstant()));
        }
        return new QueueEntry(r, EntryState.valueOf(d.getString("state")), rcpts, d.getInteger("attempts", 0),
                d.getDate("nextAttemptAt").toInstant(), d.getDate("enqueuedAt").toInstant(), d.getBoolean("delayWarned", false),
                d.getString("lastError"), d.getString("signature"), d.getString("traceparent"));
    }
}
