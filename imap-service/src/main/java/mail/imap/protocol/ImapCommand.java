package mail.imap.protocol;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One decoded client command: an immutable value per command of RFC 9051 and the extensions the server announces.
 * Mailbox names are as the client wrote them (modified UTF-7 or UTF-8 is decided by the session, which knows
 * whether UTF-8 was enabled).
 */
public sealed interface ImapCommand {

    // ---- any state
    record Capability() implements ImapCommand {
    }

    record Noop() implements ImapCommand {
    }

    record Logout() implements ImapCommand {
    }

    /** @param fields null for {@code ID NIL}; values may be null (NIL) */
    record Id(Map<String, String> fields) implements ImapCommand {
    }

    // ---- not authenticated
    record StartTls() implements ImapCommand {
    }

    record Login(String user, String password) implements ImapCommand {
    }

    /** @param initialResponse SASL-IR (RFC 4959): base64 text, {@code "="} for an empty response, or empty if absent */
    record Authenticate(String mechanism, Optional<String> initialResponse) implements ImapCommand {
    }

    // ---- authenticated
    record Enable(List<String> capabilities) implements ImapCommand {
    }

    /** QRESYNC parameters of SELECT/EXAMINE (RFC 7162 §3.2.5). */
    record Qresync(long uidValidity, long modSeq, Optional<SequenceSet> knownUids,
                   Optional<SequenceSet> knownSequenceNumbers, Optional<SequenceSet> knownSequenceUids) {
    }

    record Select(String mailbox, boolean readOnly, boolean condstore, Optional<Qresync> qresync) implements ImapCommand {
    }

    /** @param specialUse CREATE-SPECIAL-USE (RFC 6154), e.g. {@code \Drafts} */
    record Create(String mailbox, List<String> specialUse) implements ImapCommand {
    }

    record Delete(String mailbox) implements ImapCommand {
    }

    record Rename(String from, String to) implements ImapCommand {
    }

    record Subscribe(String mailbox) implements ImapCommand {
    }

    record Unsubscribe(String mailbox) implements ImapCommand {
    }

    /**
     * LIST with RFC 5258 selection and return options and RFC 5819 LIST-STATUS.
     *
     * @param selection upper-case selection options: SUBSCRIBED, REMOTE, RECURSIVEMATCH, SPECIAL-USE
     * @param returns   upper-case return options: SUBSCRIBED, CHILDREN, SPECIAL-USE (STATUS is {@code status})
     * @param extended  whether the command used any LIST-EXTENDED syntax (then the extended reply rules apply)
     */
    record ListMailboxes(List<String> selection, String reference, List<String> patterns, List<String> returns,
                         List<String> status, boolean extended) implements ImapCommand {
    }

    record Lsub(String reference, String pattern) implements ImapCommand {
    }

    record Namespace() implements ImapCommand {
    }

    /** @param items upper-case: MESSAGES UIDNEXT UIDVALIDITY UNSEEN DELETED SIZE RECENT HIGHESTMODSEQ APPENDLIMIT */
    record Status(String mailbox, List<String> items) implements ImapCommand {
    }

    /** One message of an APPEND (MULTIAPPEND sends several). */
    record AppendMessage(List<String> flags, Optional<OffsetDateTime> internalDate, Segment.Literal content) {
    }

    record Append(String mailbox, List<AppendMessage> messages) implements ImapCommand {
    }

    record Idle() implements ImapCommand {
    }

    record GetQuota(String root) implements ImapCommand {
    }

    record GetQuotaRoot(String mailbox) implements ImapCommand {
    }

    record SetQuota(String root) implements ImapCommand {
    }

    // ---- selected
    record Check() implements ImapCommand {
    }

    record Close() implements ImapCommand {
    }

    record Unselect() implements ImapCommand {
    }

    /** @param uids UID EXPUNGE (UIDPLUS), or empty for plain EXPUNGE */
    record Expunge(Optional<SequenceSet> uids) implements ImapCommand {
    }

    /**
     * @param returnOptions ESEARCH (RFC 4731) / SEARCHRES (RFC 5182): MIN MAX ALL COUNT SAVE; null without RETURN
     * @param charset       the CHARSET argument, if given
     */
    record Search(boolean uid, List<String> returnOptions, Optional<String> charset, SearchKey key) implements ImapCommand {
    }

    record Fetch(boolean uid, SequenceSet set, List<FetchItem> items, OptionalLong changedSince, boolean vanished)
            implements ImapCommand {
    }

    enum StoreMode { REPLACE, ADD, REMOVE }

    record Store(boolean uid, SequenceSet set, OptionalLong unchangedSince, StoreMode mode, boolean silent,
                 List<String> flags) implements ImapCommand {
    }

    record Copy(boolean uid, SequenceSet set, String mailbox) implements ImapCommand {
    }

    record Move(boolean uid, SequenceSet set, String mailbox) implements ImapCommand {
    }

    // ---- FETCH items

    sealed interface FetchItem {
    }

    /** ENVELOPE, FLAGS, INTERNALDATE, RFC822, RFC822.HEADER, RFC822.SIZE, RFC822.TEXT, BODY, BODYSTRUCTURE, UID, MODSEQ */
    record Simple(String name) implements FetchItem {
    }

    /**
     * BODY[section]<partial>, BODY.PEEK[...], BINARY[part]<partial>, BINARY.PEEK[...], BINARY.SIZE[part].
     *
     * @param part      the part numbers, empty for the whole message
     * @param text      HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT, MIME, or null for the part itself
     * @param fields    the header names of HEADER.FIELDS (.NOT), upper-case
     * @param partial   origin and length of {@code <origin.length>}
     */
    record Section(Kind kind, boolean peek, List<Integer> part, String text, List<String> fields,
                   Optional<long[]> partial) implements FetchItem {
        public enum Kind { BODY, BINARY, BINARY_SIZE }
    }

    // ---- SEARCH keys

    sealed interface SearchKey {
    }

    record And(List<SearchKey> keys) implements SearchKey {
    }

    record Or(SearchKey left, SearchKey right) implements SearchKey {
    }

    record Not(SearchKey key) implements SearchKey {
    }

    /** ALL, ANSWERED, DELETED, DRAFT, FLAGGED, NEW, OLD, RECENT, SEEN and their UN- forms. */
    record FlagKey(String name) implements SearchKey {
    }

    record Keyword(String keyword, boolean present) implements SearchKey {
    }

    /** BCC CC FROM SUBJECT TO BODY TEXT: a substring, case-insensitive. */
    record TextKey(String field, String value) implements SearchKey {
    }

    record Header(String field, String value) implements SearchKey {
    }

    /** BEFORE ON SINCE (internal date) and SENTBEFORE SENTON SENTSINCE (Date: header). */
    record DateKey(String name, LocalDate date) implements SearchKey {
    }

    record Size(boolean larger, long octets) implements SearchKey {
    }

    record Uid(SequenceSet set) implements SearchKey {
    }

    record Sequence(SequenceSet set) implements SearchKey {
    }

    record ModSeq(long modSeq) implements SearchKey {
    }
}
