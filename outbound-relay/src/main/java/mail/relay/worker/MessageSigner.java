package mail.relay.worker;

import java.io.IOException;
import mail.relay.queue.QueueEntry;

/**
 * Header fields to put in front of the stored message before it is sent (a DKIM-Signature), CRLF-terminated; empty
 * for none. Called once per queued message, before its first attempt: every attempt then sends the same bytes.
 *
 * @throws IOException when it cannot be decided yet (the key store is unreachable): the attempt is deferred
 */
@FunctionalInterface
public interface MessageSigner {
    MessageSigner NONE = e -> "";

    String prefix(QueueEntry entry) throws IOException;
}
