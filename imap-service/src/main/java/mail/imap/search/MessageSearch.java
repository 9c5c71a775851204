package mail.imap.search;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import mail.imap.protocol.ImapCommand.SearchKey;
import mail.store.Messages;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Runs a SEARCH as one MongoDB query over the mailbox's messages, projecting only UID (and MODSEQ when asked), then
 * keeps the UIDs the session knows. Blocking: call it off the event loop.
 */
public final class MessageSearch {
    private final MongoCollection<Document> messages;

    public MessageSearch(MongoCollection<Document> messages) {
        this.messages = Objects.requireNonNull(messages, "messages");
    }

    /**
     * @throws SearchException for an unsupported charset or criteria nested too deeply (nothing is queried)
     * @throws com.mongodb.MongoException when the store fails (the session answers {@code NO [UNAVAILABLE]})
     */
    public SearchResult search(String mailboxId, Optional<String> charset, SearchKey key, SearchContext ctx) {
        SearchCharsets.check(charset);
        boolean withModSeq = SearchFilters.usesModSeq(key);
        SearchFilters.Criteria criteria = SearchFilters.translate(key, ctx);
        if (criteria.matchesNone() || ctx.size() == 0) {
            return SearchResult.empty(withModSeq);
        }
        List<Bson> filters = new ArrayList<>();
        filters.add(Filters.eq(Messages.MAILBOX_ID, mailboxId));
        // messages delivered after the session's last EXISTS have no sequence number yet: leave them out
        filters.add(Filters.lte(Messages.UID, ctx.lastUid()));
        if (!criteria.matchesAll()) {
            filters.add(criteria.filter());
        }
        Bson projection = withModSeq
                ? Projections.fields(Projections.include(Messages.UID, Messages.MODSEQ), Projections.excludeId())
                : Projections.fields(Projections.include(Messages.UID), Projections.excludeId());
        long[] uids = new long[64];
        long[] modSeqs = new long[withModSeq ? 64 : 0];
        int n = 0;
        try (MongoCursor<Document> cursor = messages.find(Filters.and(filters)).projection(projection)
                .batchSize(10_000).iterator()) {
            while (cursor.hasNext()) {
                Document d = cursor.next();
                long uid = number(d, Messages.UID);
                if (ctx.sequenceOf(uid) == 0) {
                    continue;
                }
                if (n == uids.length) {
                    uids = Arrays.copyOf(uids, n * 2);
                    if (withModSeq) {
                        modSeqs = Arrays.copyOf(modSeqs, n * 2);
                    }
                }
                uids[n] = uid;
                if (withModSeq) {
                    modSeqs[n] = number(d, Messages.MODSEQ);
                }
                n++;
            }
        }
        return sorted(Arrays.copyOf(uids, n), withModSeq ? Arrays.copyOf(modSeqs, n) : new long[0], withModSeq);
    }

    private static SearchResult sorted(long[] uids, long[] modSeqs, boolean withModSeq) {
        Integer[] order = new Integer[uids.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(uids[a], uids[b]));
        long[] u = new long[uids.length];
        long[] m = new long[modSeqs.length];
        for (int i = 0; i < order.length; i++) {
            u[i] = uids[order[i]];
            if (withModSeq) {
                m[i] = modSeqs[order[i]];
            }
        }
        return new SearchResult(u, m, withModSeq);
    }

    private static long number(Document d, String key) {
        Object v = d.get(key);
        return v instanceof Number x ? x.longValue() : 0L;
    }
}
