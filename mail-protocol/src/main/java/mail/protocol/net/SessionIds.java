package mail.protocol.net;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Session ids: 12 hex digits, random so that copies of a service behind one load balancer do not hand out the same. */
final class SessionIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SessionIds() {
    }

    static String next() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
