package mail.message.dkim;

import java.util.Locale;

/**
 * The outcome for one DKIM-Signature field.
 *
 * @param reason             why it is not a pass, or extra notes on a pass (key testing mode); null when none
 * @param domain             d=, null when unreadable
 * @param selector           s=, null when unreadable
 * @param algorithm          a= as written, null when unreadable
 * @param identity           i= (default {@code @d}), null when unreadable
 * @param keyBits            size of the verifying key (256 for Ed25519), 0 when none was loaded
 * @param testing            the key record says t=y: the domain is testing DKIM, receivers should not act on it
 * @param bodyLengthLimit    l=, or -1 when absent
 * @param unsignedBodyOctets canonical body octets after l= (added after signing, for instance): suspicious when > 0
 * @param signaturePrefix    the first 8 characters of b= (RFC 6008 header.b), null when unreadable
 */
public record DkimResult(Status status, String reason, String domain, String selector, String algorithm,
                         String identity, int keyBits, boolean testing, long bodyLengthLimit,
                         long unsignedBodyOctets, String signaturePrefix) {

    /** RFC 8601 §2.7.1 result values. */
    public enum Status {
        PASS, FAIL, NEUTRAL, TEMPERROR, PERMERROR;

        public String token() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public boolean passed() {
        return status == Status.PASS;
    }

    /** l= was used: whatever follows the signed length is unauthenticated, so treat a pass with care. */
    public boolean lengthLimited() {
        return bodyLengthLimit >= 0;
    }

    /** One resinfo for an Authentication-Results field (RFC 8601, header.b of RFC 6008). */
    public String authResultsClause() {
        StringBuilder b = new StringBuilder("dkim=").append(status.token());
        StringBuilder comment = new StringBuilder();
        if (keyBits > 0) {
            comment.append(keyBits).append("-bit key");
        }
        if (lengthLimited()) {
            comment.append(comment.length() > 0 ? "; " : "").append("l=").append(bodyLengthLimit);
            if (unsignedBodyOctets > 0) {
                comment.append(", ").append(unsignedBodyOctets).append(" body octets unsigned");
            }
        }
        if (testing) {
            comment.append(comment.length() > 0 ? "; " : "").append("testing key");
        }
        if (comment.length() > 0) {
            b.append(" (").append(comment).append(')');
        }
        if (reason != null && status != Status.PASS) {
            b.append(" reason=").append(quote(reason));
        }
        if (domain != null) {
            b.append(" header.d=").append(domain);
        }
        if (selector != null) {
            b.append(" header.s=").append(selector);
        }
        if (identity != null && isToken(identity)) {
            b.append(" header.i=").append(identity);
        }
        if (algorithm != null && isToken(algorithm)) {
            b.append(" header.a=").append(algorithm);
        }
        if (signaturePrefix != null) {
            b.append(" header.b=").append(quote(signaturePrefix));
        }
        return b.toString();
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c > '~' || "()<>,;:\\\"/[]?=".indexOf(c) >= 0) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                q.append('\\');
            }
            q.append(c < ' ' || c > '~' ? '?' : c);
        }
        return q.append('"').toString();
    }
}
