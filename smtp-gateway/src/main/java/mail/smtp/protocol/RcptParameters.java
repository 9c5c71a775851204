package mail.smtp.protocol;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The ESMTP parameters of one RCPT command (RFC 3461 DSN).
 *
 * @param notifyOn the NOTIFY conditions (named so because {@code notify()} is taken by Object): empty when NOTIFY was not sent (the server's default
 *     applies, conventionally FAILURE,DELAY), {@code {NEVER}} alone, or any
 *     non-empty combination of SUCCESS, FAILURE and DELAY
 * @param orcpt ORCPT, decoded
 */
public record RcptParameters(Set<Notify> notifyOn, Optional<OriginalRecipient> orcpt) {

    public static final RcptParameters NONE = new RcptParameters(Set.of(), Optional.empty());

    public RcptParameters {
        Objects.requireNonNull(orcpt, "orcpt");
        notifyOn = notifyOn.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(notifyOn));
        if (notifyOn.contains(Notify.NEVER) && notifyOn.size() > 1) {
            throw new IllegalArgumentException("NOTIFY=NEVER must appear alone");
        }
    }

    public enum Notify {
        NEVER,
        SUCCESS,
        FAILURE,
        DELAY
    }

    /**
     * An ORCPT value: {@code addressType} in lower case ({@code "rfc822"}, {@code "utf-8"}, …) and
     * the address with its transfer encoding removed. RFC 3461 §4.2 says the address need not obey
     * the syntax of its type, so it is carried as text and never parsed as a mailbox: it is only
     * ever copied into a DSN.
     */
    public record OriginalRecipient(String addressType, String address) {

        public OriginalRecipient {
            Objects.requireNonNull(addressType, "addressType");
            Objects.requireNonNull(address, "address");
            if (addressType.isEmpty() || address.isEmpty()) {
                throw new IllegalArgumentException("ORCPT address type and address must not be empty");
            }
        }
    }
}
