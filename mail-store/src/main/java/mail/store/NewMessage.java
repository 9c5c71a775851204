package mail.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import mail.core.event.MessageRef;
import org.bson.Document;

/**
 * A message to be stored in a mailbox.
 *
 * @param metadata    what mail-message parsed (envelope, structure, preview, search text …), stored as is under
 *                    {@link Messages#METADATA} so IMAP and POP3 never re-read the body for it
 * @param deliveryKey the idempotency key: storing twice under one key yields one message. Delivery uses
 *                    {@code <event id>/<account id>}; APPEND/COPY pass a fresh key of their own
 */
public record NewMessage(String accountId, MessageRef blob, Instant internalDate, List<String> flags,
                         List<String> keywords, Document metadata, String deliveryKey) {

    public NewMessage {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(blob, "blob");
        Objects.requireNonNull(internalDate, "internalDate");
        flags = List.copyOf(flags);
        keywords = List.copyOf(keywords);
        metadata = metadata == null ? new Document() : metadata;
        if (deliveryKey == null || deliveryKey.isBlank()) {
            throw new IllegalArgumentException("deliveryKey must not be blank");
        }
    }
}
