package mail.relay.worker;

import java.io.IOException;
import mail.relay.queue.QueueEntry;

/** Header fields to put in front of the stored message before it is sent (a DKIM-Signature); empty for none. */
@FunctionalInterface
public interface MessageSigner {
    MessageSigner NONE = e -> new byte[0];

    byte[] prefix(QueueEntry entry) throws IOException;
}
