package mail.imap.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds the octets of server responses. Strings are written in the smallest form that is correct for the content:
 * atom where the grammar allows one, quoted where the characters allow it, else a literal; 8-bit text goes quoted
 * only when the session may receive UTF-8 (IMAP4rev2, UTF8=ACCEPT), otherwise as a literal.
 */
public final class ResponseWriter {
    private static final int MAX_QUOTED = 4096;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    private final boolean utf8;

    public ResponseWriter(boolean utf8) {
        this.utf8 = utf8;
    }

    public ResponseWriter raw(String ascii) {
        out.writeBytes(ascii.getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    public ResponseWriter raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    public ResponseWriter sp() {
        out.write(' ');
        return this;
    }

    public ResponseWriter number(long n) {
        return raw(Long.toString(n));
    }

    public ResponseWriter nil() {
        return raw("NIL");
    }

    public ResponseWriter crlf() {
        out.write('\r');
        out.write('\n');
        return this;
    }

    public ResponseWriter string(String s) {
        return string(s.getBytes(StandardCharsets.UTF_8));
    }

    /** quoted or literal, never an atom (where the grammar says "string"). */
    public ResponseWriter string(byte[] b) {
        if (quotable(b)) {
            out.write('"');
            for (byte c : b) {
                if (c == '"' || c == '\\') {
                    out.write('\\');
                }
                out.write(c);
            }
            out.write('"');
        } else {
            literal(b);
        }
        return this;
    }

    public ResponseWriter nstring(String s) {
        return s == null ? nil() : string(s);
    }

    public ResponseWriter nstring(byte[] b) {
        return b == null ? nil() : string(b);
    }

    /** astring: an atom when every character may appear in one (and it is not NIL), else a string. */
    public ResponseWriter astring(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        boolean atom = b.length > 0 && !s.equalsIgnoreCase("NIL");
        for (byte c : b) {
            if (!CommandReader.isAstringChar(c & 0xFF)) {
                atom = false;
                break;
            }
        }
        return atom ? raw(b) : string(b);
    }

    public ResponseWriter literal(byte[] b) {
        raw("{" + b.length + "}").crlf();
        out.writeBytes(b);
        return this;
    }

    private boolean quotable(byte[] b) {
        if (b.length > MAX_QUOTED) {
            return false;
        }
        for (byte c : b) {
            int v = c & 0xFF;
            if (v == '\r' || v == '\n' || v == 0 || (v >= 0x80 && !utf8)) {
                return false;
            }
        }
        return !(utf8 && !validUtf8(b));
    }

    private static boolean validUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    public byte[] toBytes() {
        return out.toByteArray();
    }

    public int size() {
        return out.size();
    }
}
