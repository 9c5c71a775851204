package mail.core.dsn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import mail.core.event.MailReceived;
import mail.core.event.SmtpEnvelope;

/**
 * Writes an RFC 3464 delivery status notification: multipart/report with a human-readable part, the
 * message/delivery-status part, and the original message (RET=FULL, when it is small enough) or its header.
 */
public final class DsnComposer {
    private static final DateTimeFormatter RFC5322 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final String hostname;

    public DsnComposer(String hostname) {
        this.hostname = hostname;
    }

    /**
     * @param original the original message or its header section (see {@code fullMessage}), CRLF line ends
     */
    public byte[] compose(String dsnId, MailReceived received, List<DsnReport> reports, byte[] original, boolean fullMessage,
                          Instant now) {
        SmtpEnvelope env = received.envelope();
        return compose(dsnId, env.reversePath(), env.envId(), received.connection().receivedAt(), reports, original, fullMessage, now);
    }

    /**
     * The same for a sender known only from a queued message (the outbound relay keeps the envelope, not the event).
     *
     * @param original the original message or its header section (see {@code fullMessage}), CRLF line ends
     */
    public byte[] compose(String dsnId, String reversePath, String envId, Instant arrivalDate, List<DsnReport> reports,
                          byte[] original, boolean fullMessage, Instant now) {
        boolean anyFailed = reports.stream().anyMatch(DsnReport::failed);
        boolean onlyDelayed = !reports.isEmpty() && reports.stream().allMatch(DsnReport::delayed);
        String boundary = "dsn-" + dsnId;
        StringBuilder b = new StringBuilder();
        b.append("From: Mail Delivery System <MAILER-DAEMON@").append(hostname).append(">\r\n");
        b.append("To: <").append(reversePath).append(">\r\n");
        b.append("Subject: ").append(anyFailed ? "Undelivered Mail Returned to Sender"
                : onlyDelayed ? "Delayed Mail (still being retried)" : "Successful Mail Delivery Report").append("\r\n");
        b.append("Date: ").append(RFC5322.format(now)).append("\r\n");
        b.append("Message-ID: <").append(dsnId).append('@').append(hostname).append(">\r\n");
        // RFC 3834: automatic responders must not answer this
        b.append("Auto-Submitted: auto-replied\r\n");
        b.append("MIME-Version: 1.0\r\n");
        b.append("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"").append(boundary).append("\"\r\n");
        b.append("\r\nThis is a MIME-encapsulated message.\r\n\r\n");

        b.append("--").append(boundary).append("\r\n");
        b.append("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
        b.append("This is the mail system at host ").append(hostname).append(".\r\n\r\n");
        if (anyFailed) {
            b.append("Your message could not be delivered to one or more recipients.\r\n\r\n");
        } else if (onlyDelayed) {
            b.append("Your message could not be delivered yet; the mail system keeps trying. No action is needed.\r\n\r\n");
        } else {
            b.append("Your message was delivered to the following recipients, as you asked to be notified.\r\n\r\n");
        }
        for (DsnReport r : reports) {
            b.append("<").append(r.finalRecipient()).append(">: ")
                    .append(r.diagnostic() != null ? r.diagnostic() : r.failed() ? "delivery failed" : "delivered to mailbox").append("\r\n");
        }
        b.append("\r\n");

        b.append("--").append(boundary).append("\r\n");
        b.append("Content-Type: message/delivery-status\r\n\r\n");
        b.append("Reporting-MTA: dns; ").append(hostname).append("\r\n");
        if (envId != null) {
            b.append("Original-Envelope-Id: ").append(envId).append("\r\n");
        }
        b.append("Arrival-Date: ").append(RFC5322.format(arrivalDate)).append("\r\n");
        for (DsnReport r : reports) {
            b.append("\r\n");
            b.append("Final-Recipient: rfc822; ").append(r.finalRecipient()).append("\r\n");
            if (r.recipient().orcpt() != null) {
                b.append("Original-Recipient: ").append(r.recipient().orcpt().addressType()).append("; ")
                        .append(r.recipient().orcpt().address()).append("\r\n");
            }
            b.append("Action: ").append(r.action()).append("\r\n");
            b.append("Status: ").append(r.status()).append("\r\n");
            if (r.diagnostic() != null) {
                b.append("Diagnostic-Code: smtp; ").append(r.diagnostic()).append("\r\n");
            }
        }
        b.append("\r\n");

        b.append("--").append(boundary).append("\r\n");
        b.append("Content-Type: ").append(fullMessage ? "message/rfc822" : "text/rfc822-headers").append("\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length() + original.length + 64);
        out.writeBytes(b.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(original);
        if (original.length > 0 && original[original.length - 1] != '\n') {
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** The bytes up to and including the blank line that ends the header (all of it if there is none), for RET=HDRS. */
    public static byte[] headerSection(byte[] b) {
        for (int i = 0; i + 1 < b.length; i++) {
            if (b[i] == '\n' && b[i + 1] == '\n') {
                return java.util.Arrays.copyOf(b, i + 1);
            }
            if (b[i] == '\n' && b[i + 1] == '\r' && i + 2 < b.length && b[i + 2] == '\n') {
                return java.util.Arrays.copyOf(b, i + 1);
            }
        }
        return b;
    }
}
