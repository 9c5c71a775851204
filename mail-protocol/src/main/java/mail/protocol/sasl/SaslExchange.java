package mail.protocol.sasl;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The RFC 4954 framing every mechanism shares: line limits, "*", base64, and the order of calls. */
abstract class SaslExchange {

    /** RFC 4616 §2 lets servers cap each identity and the password at 255 octets. */
    static final int MAX_FIELD_OCTETS = 255;

    private enum Phase { NEW, RUNNING, CREDENTIALS, ERROR_ACK, ENDED }

    private Phase phase = Phase.NEW;

    /** The challenge sent when AUTH carried no initial response. */
    abstract SaslStep firstChallenge();

    /** A decoded client response; returns the next challenge, credentials or a failure. */
    abstract SaslStep respond(byte[] response);

    /** What to send when the credentials are refused; a failure unless the mechanism has an error challenge. */
    SaslStep refusal() {
        return new SaslStep.Failure(SaslStep.Reason.CREDENTIALS_INVALID, "credentials refused");
    }

    public final SaslStep start(Optional<String> initialResponse) {
        if (phase != Phase.NEW) {
            throw new IllegalStateException("exchange already started");
        }
        phase = Phase.RUNNING;
        if (initialResponse.isEmpty()) {
            return track(firstChallenge());
        }
        return track(decodeAndRespond(initialResponse.get()));
    }

    public final SaslStep step(String clientLine) {
        if (phase != Phase.RUNNING && phase != Phase.ERROR_ACK) {
            throw new IllegalStateException("no challenge is outstanding (" + phase + ")");
        }
        if (clientLine.length() > SaslMechanism.MAX_LINE_LENGTH) {
            return track(fail(SaslStep.Reason.LINE_TOO_LONG, "response of " + clientLine.length() + " characters"));
        }
        if (clientLine.equals("*")) {
            return track(fail(SaslStep.Reason.CANCELLED, "client cancelled"));
        }
        if (phase == Phase.ERROR_ACK) {
            // Whatever the client says to the error challenge, the answer is 535 (RFC 7628 §3.2.3).
            return track(fail(SaslStep.Reason.CREDENTIALS_INVALID, "token refused"));
        }
        return track(decodeAndRespond(clientLine));
    }

    public final SaslStep rejectCredentials() {
        if (phase != Phase.CREDENTIALS) {
            throw new IllegalStateException("no credentials to reject (" + phase + ")");
        }
        SaslStep next = refusal();
        if (next instanceof SaslStep.Challenge) {
            phase = Phase.ERROR_ACK;
            return next;
        }
        return track(next);
    }

    private SaslStep decodeAndRespond(String line) {
        if (line.length() > SaslMechanism.MAX_LINE_LENGTH) {
            return fail(SaslStep.Reason.LINE_TOO_LONG, "response of " + line.length() + " characters");
        }
        byte[] decoded = decodeBase64(line);
        if (decoded == null) {
            return fail(SaslStep.Reason.BAD_BASE64, "response is not base64");
        }
        return respond(decoded);
    }

    private SaslStep track(SaslStep step) {
        if (step instanceof Credentials) {
            phase = Phase.CREDENTIALS;
        } else if (step instanceof SaslStep.Failure) {
            phase = Phase.ENDED;
        }
        return step;
    }

    static SaslStep.Failure fail(SaslStep.Reason reason, String detail) {
        return new SaslStep.Failure(reason, detail);
    }

    static SaslStep.Challenge challenge(String text) {
        return new SaslStep.Challenge(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Strict RFC 4648 alphabet, no whitespace; "=" alone is the empty response (RFC 4954 §4). */
    static byte[] decodeBase64(String line) {
        if (line.equals("=")) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(line);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Strict UTF-8: a malformed sequence is an error, not a replacement character that could match an account. */
    static String utf8(byte[] bytes, int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A user name goes into logs and directory look-ups, so control characters are refused outright. */
    static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
