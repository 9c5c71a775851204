package mail.smtp.protocol;

import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import mail.core.address.DomainPart;
import mail.core.address.EmailAddress;
import mail.core.address.InvalidAddressException;

/**
 * A syntactically valid SMTP command, as produced by {@link CommandParser}. Whether the command is
 * allowed now (sequence, authentication, TLS, advertised extensions) is for the session to decide.
 */
public sealed interface SmtpCommand {

    /** The verb in upper case, for logs and metrics. */
    String verb();

    /**
     * {@code EHLO}. The argument is only checked to look like a host name or an address literal:
     * RFC 5321 §4.1.4 forbids refusing mail because it does not match the peer, and real clients
     * send {@code localhost}, bare IPs and Windows machine names.
     */
    record Ehlo(String domainOrLiteral) implements SmtpCommand {
        public Ehlo {
            Objects.requireNonNull(domainOrLiteral, "domainOrLiteral");
        }

        /** The argument as a strictly valid domain or address literal, if it is one. */
        public Optional<DomainPart> domainPart() {
            return strictDomainPart(domainOrLiteral);
        }

        @Override
        public String verb() {
            return "EHLO";
        }
    }

    /** {@code HELO}; accepts an address literal too, as many clients send one. */
    record Helo(String domain) implements SmtpCommand {
        public Helo {
            Objects.requireNonNull(domain, "domain");
        }

        public Optional<DomainPart> domainPart() {
            return strictDomainPart(domain);
        }

        @Override
        public String verb() {
            return "HELO";
        }
    }

    /** {@code MAIL FROM}; an empty reverse-path is the null sender {@code <>} of bounces. */
    record Mail(Optional<EmailAddress> reversePath, MailParameters params) implements SmtpCommand {
        public Mail {
            Objects.requireNonNull(reversePath, "reversePath");
            Objects.requireNonNull(params, "params");
        }

        public boolean isNullSender() {
            return reversePath.isEmpty();
        }

        @Override
        public String verb() {
            return "MAIL";
        }
    }

    /**
     * {@code RCPT TO}. {@code postmaster} is true for the domain-less {@code <Postmaster>} of
     * RFC 5321 §4.1.1.3, which the session must accept without relay or existence checks;
     * {@code forwardPath} is then {@code postmaster@} the configured
     * {@link ParserOptions#postmasterDomain()}. {@code <postmaster@some.domain>} is an ordinary
     * address with {@code postmaster} false: only the session knows whether the domain is local.
     */
    record Rcpt(EmailAddress forwardPath, boolean postmaster, RcptParameters params) implements SmtpCommand {
        public Rcpt {
            Objects.requireNonNull(forwardPath, "forwardPath");
            Objects.requireNonNull(params, "params");
        }

        @Override
        public String verb() {
            return "RCPT";
        }
    }

    record Data() implements SmtpCommand {
        @Override
        public String verb() {
            return "DATA";
        }
    }

    /** RFC 3030 {@code BDAT}: exactly {@code chunkSize} octets follow the command line. */
    record Bdat(long chunkSize, boolean last) implements SmtpCommand {
        public Bdat {
            if (chunkSize < 0) {
                throw new IllegalArgumentException("negative BDAT chunk size: " + chunkSize);
            }
        }

        @Override
        public String verb() {
            return "BDAT";
        }
    }

    record Rset() implements SmtpCommand {
        @Override
        public String verb() {
            return "RSET";
        }
    }

    /** Arguments, which RFC 5321 §4.1.1.9 allows and says to ignore, are dropped. */
    record Noop() implements SmtpCommand {
        @Override
        public String verb() {
            return "NOOP";
        }
    }

    record Quit() implements SmtpCommand {
        @Override
        public String verb() {
            return "QUIT";
        }
    }

    /** The argument as sent (never empty), not parsed: it may be a mailbox, a name or anything. */
    record Vrfy(String argument) implements SmtpCommand {
        public Vrfy {
            Objects.requireNonNull(argument, "argument");
        }

        @Override
        public String verb() {
            return "VRFY";
        }
    }

    record Expn(String argument) implements SmtpCommand {
        public Expn {
            Objects.requireNonNull(argument, "argument");
        }

        @Override
        public String verb() {
            return "EXPN";
        }
    }

    /** {@code argument} is empty for a bare {@code HELP}. */
    record Help(String argument) implements SmtpCommand {
        public Help {
            Objects.requireNonNull(argument, "argument");
        }

        @Override
        public String verb() {
            return "HELP";
        }
    }

    record StartTls() implements SmtpCommand {
        @Override
        public String verb() {
            return "STARTTLS";
        }
    }

    /**
     * RFC 4954 {@code AUTH}. {@code mechanism} is upper-cased; whether it is offered is the session's
     * call (504 5.5.4 otherwise). {@code initialResponse} is the base64 text as sent, already checked
     * to decode, or {@code ""} for the {@code "="} that stands for an empty response.
     */
    record Auth(String mechanism, Optional<String> initialResponse) implements SmtpCommand {
        public Auth {
            Objects.requireNonNull(mechanism, "mechanism");
            Objects.requireNonNull(initialResponse, "initialResponse");
        }

        public Optional<byte[]> decodedInitialResponse() {
            return initialResponse.map(r -> Base64.getDecoder().decode(r));
        }

        @Override
        public String verb() {
            return "AUTH";
        }

        /** The initial response is a credential (PLAIN carries the password) and must not reach logs. */
        @Override
        public String toString() {
            return "Auth[mechanism=" + mechanism + ", initialResponse="
                    + (initialResponse.isPresent() ? "<redacted>" : "none") + "]";
        }
    }

    private static Optional<DomainPart> strictDomainPart(String text) {
        try {
            return Optional.of(DomainPart.parse(text));
        } catch (InvalidAddressException e) {
            return Optional.empty();
        }
    }
}
