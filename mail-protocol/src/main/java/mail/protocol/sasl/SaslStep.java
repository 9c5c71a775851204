package mail.protocol.sasl;

import java.util.Objects;

/** What the SMTP session does next in an AUTH exchange: send a 334 challenge, check credentials, or fail. */
public sealed interface SaslStep permits SaslStep.Challenge, Credentials, SaslStep.Failure {

    /** Send {@code "334 " + base64}; an empty challenge is the line "334 " with its trailing space (RFC 4954 §4). */
    record Challenge(String base64) implements SaslStep {
        public Challenge {
            Objects.requireNonNull(base64, "base64");
        }

        public String reply() {
            return "334 " + base64;
        }
    }

    /**
     * The exchange is over. {@code detail} is for the log only: it never contains secrets or raw client bytes,
     * and the client gets nothing but {@link Reason#reply()}.
     */
    record Failure(Reason reason, String detail) implements SaslStep {
        public Failure {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }

        public String reply() {
            return reason.reply();
        }
    }

    enum Reason {
        /** The client sent "*" (RFC 4954 §4). */
        CANCELLED("501 5.0.0 Authentication cancelled"),
        /** RFC 4954 §4: a response that is not base64 MUST get 501 with 5.5.2. */
        BAD_BASE64("501 5.5.2 Cannot decode base64 response"),
        /** A line longer than {@link SaslMechanism#MAX_LINE_LENGTH} (RFC 4954 §4, enhanced code 5.5.6). */
        LINE_TOO_LONG("500 5.5.6 Authentication exchange line is too long"),
        /**
         * Decodable but not a valid message for the mechanism. Answered like wrong credentials so that a client
         * probing the parser learns nothing more.
         */
        MALFORMED("535 5.7.8 Authentication credentials invalid"),
        /** An authorization identity other than the authentication identity: we do not support proxy login. */
        AUTHZID_REFUSED("535 5.7.8 Authentication credentials invalid"),
        /** The credentials were checked and rejected. */
        CREDENTIALS_INVALID("535 5.7.8 Authentication credentials invalid");

        private final String reply;

        Reason(String reply) {
            this.reply = reply;
        }

        /** The complete SMTP reply line, without CRLF. */
        public String reply() {
            return reply;
        }
    }
}
