package mail.imap.fetch;

import com.mongodb.client.model.Projections;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import mail.imap.protocol.ImapCommand.FetchItem;
import mail.imap.protocol.ImapCommand.Section;
import mail.imap.protocol.ImapCommand.Simple;
import mail.store.Messages;
import org.bson.conversions.Bson;

/**
 * What one FETCH command needs, worked out once per command rather than per message: the items in response order,
 * whether they set {@code \Seen}, whether the object store is read at all, and which message fields to project
 * from MongoDB.
 */
public final class FetchPlan {
    static final String META = Messages.METADATA + ".";
    static final String ENVELOPE_FIELD = META + "env";
    static final String BODY_FIELD = META + "body";
    static final String HEADER_LENGTH_FIELD = META + "hdrLen";
    static final String RAW_HEADER_FIELD = META + "rawHdr";

    private final List<FetchItem> items;
    private final boolean setsSeen;
    private final boolean readsBlob;
    private final List<String> fields;

    private FetchPlan(List<FetchItem> items) {
        this.items = List.copyOf(items);
        boolean seen = false;
        boolean blob = false;
        Set<String> f = new LinkedHashSet<>();
        f.add(Messages.UID);
        for (FetchItem item : items) {
            if (item instanceof Simple s) {
                String n = s.name();
                seen |= n.equals("RFC822") || n.equals("RFC822.TEXT");
                blob |= n.equals("RFC822") || n.equals("RFC822.TEXT") || n.equals("RFC822.HEADER");
                fields(n, f);
            } else if (item instanceof Section s) {
                seen |= !s.peek() && s.kind() != Section.Kind.BINARY_SIZE;
                // a top-level HEADER / HEADER.FIELDS usually comes from the stored raw header; the blob fields are
                // projected anyway so that a message whose raw header was too long to store can still be answered
                blob = true;
                f.add(Messages.SIZE);
                f.add(BODY_FIELD);
                f.add(HEADER_LENGTH_FIELD);
                if (s.part().isEmpty() && s.text() != null && s.text().startsWith("HEADER")) {
                    f.add(RAW_HEADER_FIELD);
                }
            }
        }
        if (blob) {
            f.add(Messages.BLOB_KEY);
            f.add(Messages.SHA256);
            f.add(Messages.SIZE);
        }
        this.setsSeen = seen;
        this.readsBlob = blob;
        this.fields = List.copyOf(f);
    }

    private static void fields(String item, Set<String> f) {
        switch (item) {
            case "FLAGS" -> {
                f.add(Messages.FLAGS);
                f.add(Messages.KEYWORDS);
            }
            case "INTERNALDATE" -> f.add(Messages.INTERNAL_DATE);
            case "RFC822.SIZE" -> f.add(Messages.SIZE);
            case "MODSEQ" -> f.add(Messages.MODSEQ);
            case "ENVELOPE" -> f.add(ENVELOPE_FIELD);
            case "BODY", "BODYSTRUCTURE" -> f.add(BODY_FIELD);
            case "RFC822", "RFC822.TEXT" -> {
                f.add(Messages.SIZE);
                f.add(HEADER_LENGTH_FIELD);
            }
            case "RFC822.HEADER" -> {
                f.add(Messages.SIZE);
                f.add(HEADER_LENGTH_FIELD);
                f.add(RAW_HEADER_FIELD);
            }
            default -> {
                // UID is always projected
            }
        }
    }

    /**
     * @param items       as decoded (macros ALL / FAST / FULL already expanded)
     * @param uidCommand  UID FETCH: RFC 9051 §6.4.9 requires UID in every response, so it is added when missing
     * @param withModSeq  CONDSTORE is enabled or CHANGEDSINCE was given (RFC 7162 §3.1.4.1, §3.2.4): MODSEQ is
     *                    added when missing
     */
    public static FetchPlan of(List<FetchItem> items, boolean uidCommand, boolean withModSeq) {
        List<FetchItem> all = new ArrayList<>();
        if (uidCommand && !items.contains(new Simple("UID"))) {
            all.add(new Simple("UID"));
        }
        all.addAll(items);
        if (withModSeq && !items.contains(new Simple("MODSEQ"))) {
            all.add(new Simple("MODSEQ"));
        }
        return new FetchPlan(all);
    }

    public List<FetchItem> items() {
        return items;
    }

    /** Whether the items set {@code \Seen} implicitly (non-PEEK BODY[...] and BINARY[...], RFC822, RFC822.TEXT). */
    public boolean setsSeen() {
        return setsSeen;
    }

    /** Whether answering may read the object store (a worker thread is then needed; none of ENVELOPE, FLAGS, ...). */
    public boolean readsBlob() {
        return readsBlob;
    }

    /** The message fields {@link FetchRenderer} reads for these items, plus flags/keywords when \Seen may change. */
    public List<String> fields() {
        if (!setsSeen) {
            return fields;
        }
        List<String> f = new ArrayList<>(fields);
        if (!f.contains(Messages.FLAGS)) {
            f.add(Messages.FLAGS);
            f.add(Messages.KEYWORDS);
        }
        return List.copyOf(f);
    }

    public Bson projection() {
        return Projections.fields(Projections.include(fields()), Projections.excludeId());
    }
}
