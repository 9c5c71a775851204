package mail.message;

import java.util.List;

/**
 * The ENVELOPE fields as raw header values: unfolded (CRLF removed, whitespace kept), trimmed, not RFC 2047
 * decoded; null when the header is absent. Address lists are never null: an absent or empty header is an
 * empty list. RFC 9051 defaults (sender and reply-to fall back to from when empty) are deliberately NOT
 * applied here: the IMAP renderer applies them, so the stored value stays what the message said.
 */
public record Envelope(
        String date,
        String subject,
        List<Address> from,
        List<Address> sender,
        List<Address> replyTo,
        List<Address> to,
        List<Address> cc,
        List<Address> bcc,
        String inReplyTo,
        String messageId) {

    public Envelope {
        from = List.copyOf(from);
        sender = List.copyOf(sender);
        replyTo = List.copyOf(replyTo);
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
    }

    public static Envelope empty() {
        return new Envelope(null, null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null, null);
    }
}
