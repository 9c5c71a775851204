package mail.imap.fetch;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import mail.core.event.MessageRef;
import mail.store.Messages;
import org.bson.Document;

/**
 * One message document as projected by {@link FetchPlan#projection()}: fields that were not projected read as
 * zero / empty / null, and the renderer only looks at the fields its items need.
 *
 * @param blob     null when the blob fields were not projected
 * @param metadata the (partial) mail-message metadata sub-document, empty when not projected
 */
public record FetchedMessage(long uid, long modSeq, List<String> flags, List<String> keywords, Instant internalDate,
                             long size, MessageRef blob, Document metadata) {

    public FetchedMessage {
        flags = flags == null ? List.of() : List.copyOf(flags);
        keywords = keywords == null ? List.of() : List.copyOf(keywords);
        metadata = metadata == null ? new Document() : metadata;
    }

    public static FetchedMessage from(Document d) {
        long size = number(d, Messages.SIZE);
        String blobKey = d.getString(Messages.BLOB_KEY);
        String sha = d.getString(Messages.SHA256);
        MessageRef ref = blobKey != null && sha != null ? new MessageRef(blobKey, sha, size) : null;
        Date internal = d.getDate(Messages.INTERNAL_DATE);
        return new FetchedMessage(number(d, Messages.UID), number(d, Messages.MODSEQ),
                d.getList(Messages.FLAGS, String.class), d.getList(Messages.KEYWORDS, String.class),
                internal == null ? null : internal.toInstant(), size, ref, d.get(Messages.METADATA, Document.class));
    }

    /** The same message with other flags, e.g. after the session set {@code \Seen} implicitly. */
    public FetchedMessage withFlags(List<String> newFlags, List<String> newKeywords) {
        return new FetchedMessage(uid, modSeq, newFlags, newKeywords, internalDate, size, blob, metadata);
    }

    public FetchedMessage withModSeq(long newModSeq) {
        return new FetchedMessage(uid, newModSeq, flags, keywords, internalDate, size, blob, metadata);
    }

    static long number(Document d, String key) {
        Object v = d.get(key);
        return v instanceof Number n ? n.longValue() : 0L;
    }
}
