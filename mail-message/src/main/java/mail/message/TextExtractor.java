package mail.message;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.util.List;
import java.util.Locale;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Push-style decoding of one text part, fed line by line while the parser streams: transfer decoding
 * (quoted-printable, base64, else identity), then the charset, then HTML tag stripping, into capped sinks.
 * Push rather than mime4j's decoding InputStreams because the parser owns the single pass over the raw
 * stream and the part body never exists as a stream of its own. Memory is a few fixed buffers.
 */
final class TextExtractor {
    private enum Transfer { IDENTITY, QP, BASE64 }

    private static final Map<String, Character> ENTITIES = entities();
    /** Tags that do not separate words: {@code <b>no</b>on} is one word. */
    private static final Set<String> INLINE = Set.of("a", "b", "i", "u", "s", "em", "strong", "span", "font",
            "small", "big", "sub", "sup", "abbr", "code", "mark", "q", "tt", "strike", "wbr");

    private final Transfer transfer;
    private final boolean html;
    private final List<CappedText> sinks;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytes = ByteBuffer.allocate(4096);
    private final CharBuffer chars = CharBuffer.allocate(4096);

    // quoted-printable state
    private int qpState;
    private int qpHigh;
    // base64 state
    private int b64Bits;
    private int b64Count;
    private boolean b64Done;
    // html state
    private int htmlState;
    private final StringBuilder tag = new StringBuilder();
    private final StringBuilder entity = new StringBuilder();
    private String skipUntil;

    TextExtractor(String encoding, Charset charset, boolean html, List<CappedText> sinks) {
        this.transfer = "quoted-printable".equals(encoding) ? Transfer.QP
                : "base64".equals(encoding) ? Transfer.BASE64 : Transfer.IDENTITY;
        this.html = html;
        this.sinks = sinks;
        this.decoder = Charsets.decoder(charset);
    }

    boolean saturated() {
        for (CappedText s : sinks) {
            if (!s.full()) {
                return false;
            }
        }
        return true;
    }

    void feed(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xff;
            switch (transfer) {
                case QP -> qp(c);
                case BASE64 -> base64(c);
                default -> out(c);
            }
        }
    }

    void finish() {
        if (transfer == Transfer.QP && qpState != 0) {
            out('=');
            if (qpState == 2) {
                out(Character.forDigit(qpHigh, 16));
            }
        }
        drain(true);
        if (html && htmlState == 3) {
            emitEntity();
        }
    }

    private void qp(int c) {
        switch (qpState) {
            case 0 -> {
                if (c == '=') {
                    qpState = 1;
                } else {
                    out(c);
                }
            }
            case 1 -> { // after '='
                int d = Character.digit(c, 16);
                if (d >= 0) {
                    qpHigh = d;
                    qpState = 2;
                } else if (c == '\r' || c == ' ' || c == '\t') {
                    qpState = 3;
                } else if (c == '\n') {
                    qpState = 0;
                } else {
                    out('=');
                    out(c);
                    qpState = 0;
                }
            }
            case 2 -> {
                int d = Character.digit(c, 16);
                qpState = 0;
                if (d >= 0) {
                    out(qpHigh * 16 + d);
                } else {
                    out('=');
                    out(Character.forDigit(qpHigh, 16));
                    qp(c);
                }
            }
            default -> { // soft line break: '=' then whitespace up to the line end
                if (c == '\n') {
                    qpState = 0;
                } else if (c != '\r' && c != ' ' && c != '\t') {
                    out('='); // it was no soft break after all: a lone '=' followed by blanks
                    out(' ');
                    qpState = 0;
                    qp(c);
                }
            }
        }
    }

    private void base64(int c) {
        if (b64Done) {
            return;
        }
        int v;
        if (c >= 'A' && c <= 'Z') {
            v = c - 'A';
        } else if (c >= 'a' && c <= 'z') {
            v = c - 'a' + 26;
        } else if (c >= '0' && c <= '9') {
            v = c - '0' + 52;
        } else if (c == '+') {
            v = 62;
        } else if (c == '/') {
            v = 63;
        } else {
            if (c == '=' && b64Count > 0) {
                b64Done = true; // padding ends the data; what follows is junk
                if (b64Count == 2) {
                    out((b64Bits >> 4) & 0xff);
                } else if (b64Count == 3) {
                    out((b64Bits >> 10) & 0xff);
                    out((b64Bits >> 2) & 0xff);
                }
            }
            return;
        }
        b64Bits = (b64Bits << 6) | v;
        b64Count++;
        if (b64Count == 4) {
            out((b64Bits >> 16) & 0xff);
            out((b64Bits >> 8) & 0xff);
            out(b64Bits & 0xff);
            b64Bits = 0;
            b64Count = 0;
        }
    }

    private void out(int octet) {
        bytes.put((byte) octet);
        if (!bytes.hasRemaining()) {
            drain(false);
        }
    }

    private void drain(boolean endOfInput) {
        bytes.flip();
        while (true) {
            CoderResult result = decoder.decode(bytes, chars, endOfInput);
            flushChars();
            if (!result.isOverflow()) {
                break; // underflow: everything decoded, or an incomplete sequence waits for more octets
            }
        }
        if (endOfInput) {
            decoder.flush(chars);
            flushChars();
        }
        bytes.compact();
    }

    private void flushChars() {
        chars.flip();
        while (chars.hasRemaining()) {
            text(chars.get());
        }
        chars.clear();
    }

    private void text(char c) {
        if (!html) {
            emit(c);
            return;
        }
        switch (htmlState) {
            case 0 -> {
                if (c == '<') {
                    htmlState = 1;
                    tag.setLength(0);
                } else if (c == '&') {
                    htmlState = 3;
                    entity.setLength(0);
                } else if (skipUntil == null) {
                    emit(c);
                }
            }
            case 1 -> { // inside a tag
                if (c == '<') {
                    tag.setLength(0); // "1 < 2" in a script was no tag; the real one starts here
                } else if (c == '>') {
                    htmlState = 0;
                    endTag();
                } else {
                    if (tag.length() < 16) {
                        tag.append(Character.toLowerCase(c));
                    }
                    if (tag.length() == 3 && tag.toString().equals("!--")) {
                        htmlState = 2;
                        tag.setLength(0);
                    }
                }
            }
            case 2 -> { // inside a comment, waiting for "-->"
                tag.append(c);
                if (tag.length() > 3) {
                    tag.deleteCharAt(0);
                }
                if (tag.toString().equals("-->")) {
                    htmlState = 0;
                }
            }
            default -> { // entity
                if (c == ';') {
                    htmlState = 0;
                    emitEntity();
                    entity.setLength(0);
                } else if (entity.length() < 10 && (Character.isLetterOrDigit(c) || c == '#')) {
                    entity.append(c);
                } else {
                    htmlState = 0;
                    if (skipUntil == null) {
                        emit('&');
                        for (int i = 0; i < entity.length(); i++) {
                            emit(entity.charAt(i));
                        }
                    }
                    entity.setLength(0);
                    text(c);
                }
            }
        }
    }

    private void endTag() {
        String t = tag.toString();
        boolean closing = t.startsWith("/");
        String name = (closing ? t.substring(1) : t).split("[\\s/>]", 2)[0];
        if (skipUntil != null) {
            if (t.startsWith("/" + skipUntil)) {
                skipUntil = null;
            }
            return;
        }
        if (closing) {
            if (!INLINE.contains(name)) {
                emit(' ');
            }
            return;
        }
        if (name.equals("script") || name.equals("style") || name.equals("title")) {
            skipUntil = name;
        }
        if (!INLINE.contains(name)) {
            emit(' '); // block tags separate words: <td>a</td><td>b</td> is "a b"
        }
    }

    private void emitEntity() {
        if (skipUntil != null) {
            return;
        }
        String e = entity.toString();
        Character named = ENTITIES.get(e);
        if (named == null) {
            named = ENTITIES.get(e.toLowerCase(Locale.ROOT));
        }
        if (named != null) {
            emit(named);
            return;
        }
        if (e.startsWith("#") && e.length() > 1) {
            try {
                int cp = e.charAt(1) == 'x' || e.charAt(1) == 'X' ? Integer.parseInt(e.substring(2), 16)
                        : Integer.parseInt(e.substring(1));
                if (Character.isValidCodePoint(cp)) {
                    for (char ch : Character.toChars(cp)) {
                        emit(ch);
                    }
                    return;
                }
            } catch (NumberFormatException ignored) {
                // not a number: falls through to the literal text
            }
        }
        emit('&');
        for (int i = 0; i < e.length(); i++) {
            emit(e.charAt(i));
        }
        emit(';');
    }

    private void emit(char c) {
        for (CappedText s : sinks) {
            s.append(c);
        }
    }

    private static Map<String, Character> entities() {
        Map<String, Character> m = new HashMap<>();
        // HTML 4 Latin-1 entities, U+00A0 to U+00FF in order
        String latin1 = "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg "
                + "plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest "
                + "Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc "
                + "Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute "
                + "THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave "
                + "iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc "
                + "uuml yacute thorn yuml";
        char c = '\u00a0';
        for (String name : latin1.split(" ")) {
            m.put(name, c++);
        }
        m.put("amp", '&');
        m.put("lt", '<');
        m.put("gt", '>');
        m.put("quot", '"');
        m.put("apos", '\'');
        m.put("euro", '\u20ac');
        m.put("hellip", '\u2026');
        m.put("mdash", '\u2014');
        m.put("ndash", '\u2013');
        m.put("lsquo", '\u2018');
        m.put("rsquo", '\u2019');
        m.put("ldquo", '\u201c');
        m.put("rdquo", '\u201d');
        m.put("bull", '\u2022');
        m.put("trade", '\u2122');
        m.put("zwnj", '\u200c');
        return m;
    }
}
