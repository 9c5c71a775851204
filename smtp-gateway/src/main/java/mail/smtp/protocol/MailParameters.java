package mail.smtp.protocol;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import mail.core.address.EmailAddress;

/**
 * The ESMTP parameters of one MAIL command, each absent unless the client sent it.
 *
 * @param size RFC 1870 declared message size in octets. A value too large for a {@code long}
 *     (the grammar allows 20 digits) is held as {@link Long#MAX_VALUE}, which any size limit
 *     rejects with {@link Replies#MESSAGE_TOO_BIG} — the answer RFC 1870 expects, rather than a
 *     syntax error for a syntactically valid command
 * @param body RFC 6152 / RFC 3030 body type; absent means the client did not say (RFC 6152 then
 *     implies 7BIT, though many clients send 8-bit data without declaring it)
 * @param smtpUtf8 RFC 6531 SMTPUTF8 keyword
 * @param ret RFC 3461 RET
 * @param envId RFC 3461 ENVID, xtext-decoded (printable ASCII)
 * @param auth RFC 4954 §5 AUTH= parameter
 */
public record MailParameters(
        OptionalLong size,
        Optional<BodyType> body,
        boolean smtpUtf8,
        Optional<Ret> ret,
        Optional<String> envId,
        Optional<AuthSubmitter> auth) {

    public static final MailParameters NONE = new MailParameters(
            OptionalLong.empty(), Optional.empty(), false, Optional.empty(), Optional.empty(), Optional.empty());

    public MailParameters {
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(ret, "ret");
        Objects.requireNonNull(envId, "envId");
        Objects.requireNonNull(auth, "auth");
        if (size.isPresent() && size.getAsLong() < 0) {
            throw new IllegalArgumentException("negative SIZE: " + size.getAsLong());
        }
    }

    public enum BodyType {
        SEVEN_BIT("7BIT"),
        EIGHT_BIT_MIME("8BITMIME"),
        /** RFC 3030: the message must arrive with BDAT; the session must refuse DATA for it. */
        BINARY_MIME("BINARYMIME");

        private final String keyword;

        BodyType(String keyword) {
            this.keyword = keyword;
        }

        /** The value as written on the wire. */
        public String keyword() {
            return keyword;
        }
    }

    /** RFC 3461 §4.3: what a DSN should return of the message. */
    public enum Ret {
        FULL,
        HDRS
    }

    /**
     * The submitter named by {@code AUTH=}. An empty mailbox is {@code AUTH=<>}: the client says the
     * original submitter is unknown or not authenticated. RFC 4954 §5 lets the server ignore the
     * value unless it trusts the client, and requires it be treated as {@code <>} when it does not.
     */
    public record AuthSubmitter(Optional<EmailAddress> mailbox) {

        public static final AuthSubmitter UNKNOWN = new AuthSubmitter(Optional.empty());

        public AuthSubmitter {
            Objects.requireNonNull(mailbox, "mailbox");
        }
    }
}
