package mail.message.dkim;

import java.util.Locale;

/**
 * One header field exactly as it came, line endings made CRLF.
 *
 * @param name the field name without surrounding white space, original case; empty for a line that is no field
 * @param raw  the whole field in ISO-8859-1 (one char per octet, so 8-bit headers survive), ending in CRLF
 */
record HeaderField(String name, String raw) {

    boolean is(String other) {
        return !name.isEmpty() && name.equalsIgnoreCase(other);
    }

    String lowerName() {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The value after the colon, with its folding, without the final CRLF. */
    String value() {
        int colon = raw.indexOf(':');
        int end = raw.endsWith("\r\n") ? raw.length() - 2 : raw.length();
        return colon < 0 ? "" : raw.substring(colon + 1, end);
    }
}
