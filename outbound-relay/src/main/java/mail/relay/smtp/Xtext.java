package mail.relay.smtp;

import java.nio.charset.StandardCharsets;

/** RFC 3461 §4 xtext, for ENVID and ORCPT passed on to the next hop. */
final class Xtext {
    private Xtext() {
    }

    static String encode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c >= 33 && c <= 126 && c != '+' && c != '=') {
                b.append((char) c);
            } else {
                b.append('+').append(String.format("%02X", c));
            }
        }
        return b.toString();
    }
}
