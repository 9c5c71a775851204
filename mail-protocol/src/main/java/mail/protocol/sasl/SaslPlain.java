package mail.protocol.sasl;

/** RFC 4616: one response, {@code [authzid] NUL authcid NUL passwd}. */
public final class SaslPlain extends SaslExchange implements SaslMechanism {

    public static final String NAME = "PLAIN";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    SaslStep firstChallenge() {
        return new SaslStep.Challenge("");
    }

    @Override
    SaslStep respond(byte[] m) {
        int firstNul = indexOf(m, 0);
        int secondNul = firstNul < 0 ? -1 : indexOf(m, firstNul + 1);
        if (secondNul < 0) {
            return fail(SaslStep.Reason.MALFORMED, "PLAIN response needs two NUL separators");
        }
        if (indexOf(m, secondNul + 1) >= 0) {
            return fail(SaslStep.Reason.MALFORMED, "PLAIN response has more than two NUL separators");
        }
        int authzidLen = firstNul;
        int authcidLen = secondNul - firstNul - 1;
        int passwdLen = m.length - secondNul - 1;
        if (authcidLen == 0 || passwdLen == 0) {
            return fail(SaslStep.Reason.MALFORMED, "PLAIN user name or password is empty");
        }
        if (authzidLen > MAX_FIELD_OCTETS || authcidLen > MAX_FIELD_OCTETS || passwdLen > MAX_FIELD_OCTETS) {
            return fail(SaslStep.Reason.MALFORMED, "PLAIN field longer than " + MAX_FIELD_OCTETS + " octets");
        }
        String authzid = utf8(m, 0, firstNul);
        String authcid = utf8(m, firstNul + 1, secondNul);
        String passwd = utf8(m, secondNul + 1, m.length);
        if (authzid == null || authcid == null || passwd == null) {
            return fail(SaslStep.Reason.MALFORMED, "PLAIN response is not UTF-8");
        }
        if (hasControl(authcid) || hasControl(authzid)) {
            return fail(SaslStep.Reason.MALFORMED, "PLAIN identity contains control characters");
        }
        if (!authzid.isEmpty() && !authzid.equals(authcid)) {
            return fail(SaslStep.Reason.AUTHZID_REFUSED, "PLAIN authzid differs from authcid");
        }
        return new PasswordCredentials(authcid, passwd);
    }

    private static int indexOf(byte[] m, int from) {
        for (int i = from; i < m.length; i++) {
            if (m[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
