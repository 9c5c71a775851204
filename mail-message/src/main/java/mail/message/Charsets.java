package mail.message;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.james.mime4j.util.CharsetUtil;

final class Charsets {
    private static final Charset WINDOWS_1252 = lookup("windows-1252");

    private Charsets() {
    }

    /** Null for unknown or unsupported names; never throws on hostile names. */
    static Charset lookup(String name) {
        if (name == null) {
            return null;
        }
        String n = name.trim();
        if (n.isEmpty() || n.length() > 64) {
            return null;
        }
        try {
            return CharsetUtil.lookup(n);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The charset to decode a text body with: what mail clients do rather than what the label says. US-ASCII
     * labels are read as UTF-8 (a superset; mislabelled UTF-8 is common) and ISO-8859-1 as windows-1252 (WHATWG);
     * an unknown label falls back to UTF-8 with replacement characters.
     */
    static Charset forText(String label) {
        Charset c = lookup(label);
        if (c == null || c.equals(StandardCharsets.US_ASCII)) {
            return StandardCharsets.UTF_8;
        }
        if (c.equals(StandardCharsets.ISO_8859_1) && WINDOWS_1252 != null) {
            return WINDOWS_1252;
        }
        return c;
    }

    static String decode(byte[] bytes, Charset charset) {
        // String's constructor replaces malformed input instead of throwing
        return new String(bytes, charset);
    }

    static CharsetDecoder decoder(Charset charset) {
        return charset.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
    }

    /** Header octets as text: UTF-8 when they are valid UTF-8 (RFC 6532), else one char per octet. */
    static String headerText(byte[] b, int off, int len) {
        boolean ascii = true;
        for (int i = off; i < off + len; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, off, len)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
