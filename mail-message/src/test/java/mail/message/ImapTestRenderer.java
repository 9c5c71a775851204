package mail.message;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Test-only IMAP syntax for the model (RFC 9051 §7.5.2), written the way Apache James writes it (upper-case
 * types and encodings), so the model can be checked against the James conformance expectations. It also
 * documents what the real IMAP renderer has to add: the sender/reply-to defaults and NIL for empty lists.
 */
final class ImapTestRenderer {
    private ImapTestRenderer() {
    }

    static String bodyStructure(BodyPart p, boolean extended) {
        StringBuilder sb = new StringBuilder();
        body(sb, p, extended);
        return sb.toString();
    }

    private static void body(StringBuilder sb, BodyPart p, boolean ext) {
        sb.append('(');
        if (p.isMultipart()) {
            for (BodyPart child : p.parts()) {
                body(sb, child, ext);
            }
            sb.append(' ');
            string(sb, upper(p.subtype()));
            if (ext) {
                sb.append(' ');
                params(sb, p.params());
                sb.append(' ');
                disposition(sb, p);
                sb.append(' ');
                language(sb, p.language());
                sb.append(' ');
                string(sb, p.location());
            }
        } else {
            string(sb, upper(p.type()));
            sb.append(' ');
            string(sb, upper(p.subtype()));
            sb.append(' ');
            params(sb, p.params());
            sb.append(' ');
            string(sb, p.id());
            sb.append(' ');
            string(sb, p.description());
            sb.append(' ');
            string(sb, upper(p.encoding()));
            sb.append(' ').append(p.size());
            if (p.isMessage()) {
                sb.append(' ').append(envelope(p.envelope())).append(' ');
                body(sb, p.message(), ext);
                sb.append(' ').append(p.lines());
            } else if (p.isText()) {
                sb.append(' ').append(p.lines());
            }
            if (ext) {
                sb.append(' ');
                string(sb, p.md5());
                sb.append(' ');
                disposition(sb, p);
                sb.append(' ');
                language(sb, p.language());
                sb.append(' ');
                string(sb, p.location());
            }
        }
        sb.append(')');
    }

    static String envelope(Envelope e) {
        StringBuilder sb = new StringBuilder("(");
        string(sb, e.date());
        sb.append(' ');
        string(sb, e.subject());
        sb.append(' ');
        addresses(sb, e.from());
        sb.append(' ');
        addresses(sb, e.sender().isEmpty() ? e.from() : e.sender());
        sb.append(' ');
        addresses(sb, e.replyTo().isEmpty() ? e.from() : e.replyTo());
        sb.append(' ');
        addresses(sb, e.to());
        sb.append(' ');
        addresses(sb, e.cc());
        sb.append(' ');
        addresses(sb, e.bcc());
        sb.append(' ');
        string(sb, e.inReplyTo());
        sb.append(' ');
        string(sb, e.messageId());
        return sb.append(')').toString();
    }

    private static void addresses(StringBuilder sb, List<Address> list) {
        if (list.isEmpty()) {
            sb.append("NIL");
            return;
        }
        sb.append('(');
        for (Address a : list) {
            sb.append('(');
            string(sb, a.personal());
            sb.append(' ');
            string(sb, a.adl());
            sb.append(' ');
            string(sb, a.mailbox());
            sb.append(' ');
            string(sb, a.host());
            sb.append(')');
        }
        sb.append(')');
    }

    private static void disposition(StringBuilder sb, BodyPart p) {
        if (p.disposition() == null) {
            sb.append("NIL");
            return;
        }
        sb.append('(');
        string(sb, p.disposition().type());
        sb.append(' ');
        params(sb, p.disposition().params());
        sb.append(')');
    }

    private static void language(StringBuilder sb, List<String> language) {
        if (language.isEmpty()) {
            sb.append("NIL");
            return;
        }
        sb.append('(');
        for (int i = 0; i < language.size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            string(sb, language.get(i));
        }
        sb.append(')');
    }

    private static void params(StringBuilder sb, Map<String, String> params) {
        if (params.isEmpty()) {
            sb.append("NIL");
            return;
        }
        sb.append('(');
        boolean first = true;
        // James lists parameters sorted by name; the model keeps the message's order
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(params).entrySet()) {
            if (!first) {
                sb.append(' ');
            }
            first = false;
            string(sb, e.getKey());
            sb.append(' ');
            string(sb, e.getValue());
        }
        sb.append(')');
    }

    private static void string(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("NIL");
            return;
        }
        sb.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }
}
