package mail.relay.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import mail.core.event.BodyType;
import mail.core.event.DsnReturn;
import mail.core.event.Recipient;

/**
 * What one SMTP transaction sends: the envelope of all pending recipients of a message for one destination, and a way
 * to stream its body (from the object store, possibly behind a DKIM signature) as often as attempts need it.
 */
public record MailTransaction(String reversePath, List<Recipient> recipients, BodyType bodyType, boolean smtpUtf8, long size,
                              DsnReturn ret, String envId, Body body) {

    public MailTransaction {
        recipients = List.copyOf(recipients);
    }

    @FunctionalInterface
    public interface Body {
        InputStream open() throws IOException;
    }
}
