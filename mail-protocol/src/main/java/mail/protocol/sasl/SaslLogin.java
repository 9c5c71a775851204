package mail.protocol.sasl;

/**
 * The LOGIN mechanism (draft-murchison-sasl-login, never an RFC, still what Outlook and many devices use): the
 * server asks "Username:" and "Password:", the client answers each in base64. A user name sent as the initial
 * response skips the first question.
 */
public final class SaslLogin extends SaslExchange implements SaslMechanism {

    public static final String NAME = "LOGIN";
    public static final String USERNAME_CHALLENGE = "VXNlcm5hbWU6";
    public static final String PASSWORD_CHALLENGE = "UGFzc3dvcmQ6";

    private String username;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    SaslStep firstChallenge() {
        return new SaslStep.Challenge(USERNAME_CHALLENGE);
    }

    @Override
    SaslStep respond(byte[] response) {
        if (username == null) {
            return acceptUsername(response);
        }
        return acceptPassword(response);
    }

    private SaslStep acceptUsername(byte[] response) {
        if (response.length == 0) {
            return fail(SaslStep.Reason.MALFORMED, "LOGIN user name is empty");
        }
        if (response.length > MAX_FIELD_OCTETS) {
            return fail(SaslStep.Reason.MALFORMED, "LOGIN user name longer than " + MAX_FIELD_OCTETS + " octets");
        }
        String name = utf8(response, 0, response.length);
        if (name == null || hasControl(name)) {
            return fail(SaslStep.Reason.MALFORMED, "LOGIN user name is not printable UTF-8");
        }
        username = name;
        return new SaslStep.Challenge(PASSWORD_CHALLENGE);
    }

    private SaslStep acceptPassword(byte[] response) {
        if (response.length == 0) {
            return fail(SaslStep.Reason.MALFORMED, "LOGIN password is empty");
        }
        if (response.length > MAX_FIELD_OCTETS) {
            return fail(SaslStep.Reason.MALFORMED, "LOGIN password longer than " + MAX_FIELD_OCTETS + " octets");
        }
        // PLAIN cannot carry a NUL in a password, so neither may LOGIN: the same account must not have two forms.
        String password = indexOfNul(response) < 0 ? utf8(response, 0, response.length) : null;
        if (password == null) {
            return fail(SaslStep.Reason.MALFORMED, "LOGIN password is not UTF-8 without NUL");
        }
        return new PasswordCredentials(username, password);
    }

    private static int indexOfNul(byte[] m) {
        for (int i = 0; i < m.length; i++) {
            if (m[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
