package mail.imap.fetch;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import mail.imap.protocol.ResponseWriter;
import mail.message.Address;
import mail.message.BodyPart;
import mail.message.Envelope;

/**
 * ENVELOPE, BODY and BODYSTRUCTURE (RFC 9051 §7.5.2, grammar §9) from the stored model.
 *
 * <p>Media type, subtype, transfer encoding, disposition type and parameter names are written upper-case as in the
 * RFC's own examples ({@code ("TEXT" "PLAIN" ("CHARSET" "us-ascii") ...)}); the model keeps them lower-case and
 * they are case-insensitive, so this is presentation only. Parameter values and every other string are written as
 * stored, through {@link ResponseWriter} so 8-bit text becomes a literal unless the session accepts UTF-8.
 */
final class StructureWriter {
    private StructureWriter() {
    }

    static void envelope(ResponseWriter w, Envelope e) {
        w.raw("(");
        w.nstring(e.date()).sp();
        w.nstring(e.subject()).sp();
        addresses(w, e.from());
        w.sp();
        // RFC 9051 §7.5.2: an absent or empty Sender / Reply-To is reported as the From value
        addresses(w, e.sender().isEmpty() ? e.from() : e.sender());
        w.sp();
        addresses(w, e.replyTo().isEmpty() ? e.from() : e.replyTo());
        w.sp();
        addresses(w, e.to());
        w.sp();
        addresses(w, e.cc());
        w.sp();
        addresses(w, e.bcc());
        w.sp();
        w.nstring(e.inReplyTo()).sp();
        w.nstring(e.messageId());
        w.raw(")");
    }

    private static void addresses(ResponseWriter w, List<Address> list) {
        if (list.isEmpty()) {
            w.nil();
            return;
        }
        w.raw("(");
        for (Address a : list) {
            w.raw("(");
            w.nstring(a.personal()).sp();
            w.nstring(a.adl()).sp();
            w.nstring(a.mailbox()).sp();
            w.nstring(a.host());
            w.raw(")");
        }
        w.raw(")");
    }

    /** BODYSTRUCTURE when {@code extended}, else the non-extensible BODY. */
    static void body(ResponseWriter w, BodyPart p, boolean extended) {
        w.raw("(");
        if (p.isMultipart()) {
            for (BodyPart child : p.parts()) {
                body(w, child, extended);
            }
            w.sp();
            w.string(upper(p.subtype()));
            if (extended) {
                w.sp();
                params(w, p.params());
                w.sp();
                disposition(w, p);
                w.sp();
                language(w, p.language());
                w.sp();
                w.nstring(p.location());
            }
        } else {
            w.string(upper(p.type())).sp();
            w.string(upper(p.subtype())).sp();
            params(w, p.params());
            w.sp();
            w.nstring(p.id()).sp();
            w.nstring(p.description()).sp();
            w.string(upper(p.encoding() == null ? "7bit" : p.encoding())).sp();
            w.number(p.size());
            if (isMessageType(p)) {
                w.sp();
                envelope(w, p.envelope() == null ? Envelope.empty() : p.envelope());
                w.sp();
                if (p.message() != null) {
                    body(w, p.message(), extended);
                } else {
                    // the parser stopped descending (nesting cap): an empty body keeps the grammar intact
                    w.raw("(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 0 0)");
                }
                w.sp().number(p.lines());
            } else if (p.isText()) {
                w.sp().number(p.lines());
            }
            if (extended) {
                w.sp();
                w.nstring(p.md5());
                w.sp();
                disposition(w, p);
                w.sp();
                language(w, p.language());
                w.sp();
                w.nstring(p.location());
            }
        }
        w.raw(")");
    }

    /**
     * The grammar's body-type-msg: message/rfc822 and message/global (RFC 9051) carry envelope, body and lines;
     * any other message subtype is a basic body.
     */
    private static boolean isMessageType(BodyPart p) {
        if (p.isMessage()) {
            return true;
        }
        return "message".equals(p.type()) && ("rfc822".equals(p.subtype()) || "global".equals(p.subtype()));
    }

    private static void disposition(ResponseWriter w, BodyPart p) {
        if (p.disposition() == null) {
            w.nil();
            return;
        }
        w.raw("(");
        w.string(upper(p.disposition().type())).sp();
        params(w, p.disposition().params());
        w.raw(")");
    }

    private static void language(ResponseWriter w, List<String> language) {
        if (language.isEmpty()) {
            w.nil();
            return;
        }
        w.raw("(");
        for (int i = 0; i < language.size(); i++) {
            if (i > 0) {
                w.sp();
            }
            w.string(language.get(i));
        }
        w.raw(")");
    }

    private static void params(ResponseWriter w, Map<String, String> params) {
        if (params.isEmpty()) {
            w.nil();
            return;
        }
        w.raw("(");
        boolean first = true;
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!first) {
                w.sp();
            }
            first = false;
            w.string(upper(e.getKey())).sp();
            w.string(e.getValue() == null ? "" : e.getValue());
        }
        w.raw(")");
    }

    private static String upper(String s) {
        return s == null ? "" : s.toUpperCase(Locale.ROOT);
    }
}
