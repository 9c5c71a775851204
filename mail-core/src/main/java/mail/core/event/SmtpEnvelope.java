package mail.core.event;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The SMTP envelope as accepted by the gateway.
 *
 * @param reversePath  the MAIL FROM address; the empty string is the null reverse-path {@code <>} of bounces,
 *                     which must never trigger another DSN. It is not nullable so that a producer that forgot
 *                     the field cannot silently turn a message into a bounce.
 * @param declaredSize the SIZE parameter (RFC 1870) if the client gave one
 */
public record SmtpEnvelope(
        String reversePath,
        List<Recipient> recipients,
        DsnReturn ret,
        String envId,
        BodyType bodyType,
        boolean smtpUtf8,
        Long declaredSize) {

    public static final String NULL_SENDER = "";

    public SmtpEnvelope {
        reversePath = reversePath(reversePath);
        recipients = recipients(recipients);
        Checks.optionalNonBlank(envId, "envId");
        Checks.required(bodyType, "bodyType");
        if (declaredSize != null) {
            Checks.atLeast(declaredSize, 0, "declaredSize");
        }
    }

    public boolean hasNullSender() {
        return reversePath.isEmpty();
    }

    static String reversePath(String value) {
        Checks.required(value, "reversePath");
        return value.isEmpty() ? value : Checks.address(value, "reversePath");
    }

    // Duplicates would collide on the (event id, recipient) idempotency key and be delivered only once anyway.
    static List<Recipient> recipients(List<Recipient> value) {
        List<Recipient> copy = Checks.nonEmptyList(value, "recipients");
        Set<String> seen = new HashSet<>();
        for (Recipient recipient : copy) {
            if (!seen.add(recipient.address().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("duplicate recipient " + recipient.address());
            }
        }
        return copy;
    }
}
