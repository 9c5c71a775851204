package mail.imap.fetch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import mail.core.event.MessageRef;
import mail.message.MessageMetadataBson;
import mail.message.MessageParser;
import mail.message.ParsedMessage;
import mail.message.ParserLimits;
import mail.store.Messages;
import org.bson.Document;

/** Messages parsed by the real parser and shaped like the documents mail-store writes. */
public final class StoredMessages {
    private StoredMessages() {
    }

    public static byte[] crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    public static ParsedMessage parse(byte[] raw, ParserLimits limits) {
        try {
            return new MessageParser(limits).parse(new ByteArrayInputStream(raw));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document Messages.insert writes, for a message already put into {@code blobs}. */
    public static Document document(MessageRef ref, ParsedMessage parsed, long uid, long modSeq, Instant internal,
                                    List<String> flags, List<String> keywords) {
        return new Document(Messages.UID, uid)
                .append(Messages.MODSEQ, modSeq)
                .append(Messages.FLAGS, flags)
                .append(Messages.KEYWORDS, keywords)
                .append(Messages.INTERNAL_DATE, Date.from(internal))
                .append(Messages.SIZE, ref.size())
                .append(Messages.BLOB_KEY, ref.blobKey())
                .append(Messages.SHA256, ref.sha256())
                .append(Messages.METADATA, MessageMetadataBson.toDocument(parsed));
    }

    public static FetchedMessage stored(MemoryBlobStore blobs, byte[] raw, ParserLimits limits, List<String> flags) {
        MessageRef ref = blobs.put(raw);
        return FetchedMessage.from(document(ref, parse(raw, limits), 7, 42, Instant.parse("1996-07-17T09:44:25Z"),
                flags, List.of()));
    }

    public static FetchedMessage stored(MemoryBlobStore blobs, byte[] raw) {
        return stored(blobs, raw, ParserLimits.DEFAULTS, List.of("\\Seen"));
    }
}
