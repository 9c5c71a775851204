package mail.imap.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads the tokens of one framed command (RFC 9051 §9 grammar) across its text and literal segments. Every method
 * either consumes exactly its token or throws {@link ImapSyntaxException}; nothing is skipped silently.
 */
public final class CommandReader {
    private final List<Segment> segments;
    private int seg;
    private int pos;
    private final boolean utf8;

    /** @param utf8 quoted strings may carry UTF-8 (IMAP4rev2, or UTF8=ACCEPT enabled) */
    public CommandReader(List<Segment> segments, boolean utf8) {
        if (segments.isEmpty() || !(segments.get(0) instanceof Segment.Text)) {
            throw new IllegalArgumentException("a command starts with text");
        }
        this.segments = segments;
        this.utf8 = utf8;
    }

    private Segment.Text text() {
        return (Segment.Text) segments.get(seg);
    }

    /** At the end of the whole command. */
    public boolean atEnd() {
        return seg == segments.size() - 1 && pos >= text().length();
    }

    /** The next octet of the current text segment, or -1 at its end. */
    public int peek() {
        Segment.Text t = text();
        return pos < t.length() ? t.at(pos) & 0xFF : -1;
    }

    public boolean peekIs(char c) {
        return peek() == c;
    }

    private int next() {
        int c = peek();
        if (c < 0) {
            throw new ImapSyntaxException("unexpected end of command");
        }
        pos++;
        return c;
    }

    public void expect(char c) {
        int got = peek();
        if (got != c) {
            throw new ImapSyntaxException(got < 0 ? "expected '" + c + "' but the command ended"
                    : "expected '" + c + "'");
        }
        pos++;
    }

    public void sp() {
        expect(' ');
    }

    /** Whether another argument follows: consumes the space if so. */
    public boolean optionalSp() {
        if (peekIs(' ')) {
            pos++;
            return true;
        }
        return false;
    }

    public void end() {
        if (!atEnd()) {
            throw new ImapSyntaxException(peek() == ' ' ? "unexpected extra arguments" : "unexpected characters at the end of the command");
        }
    }

    // ------------------------------------------------------------------ character classes

    static boolean isAtomChar(int c) {
        return c > 0x20 && c < 0x7F && c != '(' && c != ')' && c != '{' && c != '%' && c != '*' && c != '"'
                && c != '\\' && c != ']';
    }

    static boolean isAstringChar(int c) {
        return isAtomChar(c) || c == ']';
    }

    static boolean isListChar(int c) {
        return isAtomChar(c) || c == '%' || c == '*' || c == ']';
    }

    // ------------------------------------------------------------------ tokens

    /** tag = 1*(ASTRING-CHAR except "+") */
    public String tag() {
        int start = pos;
        while (peek() >= 0 && isAstringChar(peek()) && peek() != '+') {
            pos++;
        }
        if (pos == start) {
            throw new ImapSyntaxException("missing or invalid tag");
        }
        return ascii(start, pos);
    }

    public String atom() {
        int start = pos;
        while (peek() >= 0 && isAtomChar(peek())) {
            pos++;
        }
        if (pos == start) {
            throw new ImapSyntaxException("expected an atom");
        }
        return ascii(start, pos);
    }

    /** An atom that may contain ']' (e.g. part of a FETCH section) stops at the characters given. */
    public String atomUntil(String stops) {
        int start = pos;
        while (peek() >= 0 && (isAtomChar(peek()) || peek() == ']') && stops.indexOf(peek()) < 0) {
            pos++;
        }
        if (pos == start) {
            throw new ImapSyntaxException("expected an atom");
        }
        return ascii(start, pos);
    }

    /** The atom at the current position, without consuming it; empty if none starts here. */
    public String peekAtom() {
        int end = pos;
        Segment.Text t = text();
        while (end < t.length() && isAtomChar(t.at(end) & 0xFF)) {
            end++;
        }
        return ascii(pos, end);
    }

    public byte[] astringBytes() {
        int c = peek();
        if (c == '"' || c == '{' || c == '~') {
            return stringBytes();
        }
        int start = pos;
        while (peek() >= 0 && isAstringChar(peek())) {
            pos++;
        }
        if (pos == start) {
            throw new ImapSyntaxException("expected a string or an atom");
        }
        return slice(start, pos);
    }

    public String astring() {
        return utf8(astringBytes());
    }

    /** string = quoted / literal */
    public byte[] stringBytes() {
        int c = peek();
        if (c == '"') {
            return quoted();
        }
        if (c == '{' || c == '~') {
            Segment.Literal l = literal();
            if (!l.inMemory()) {
                throw new ImapSyntaxException("literal too large here");
            }
            return l.bytes();
        }
        throw new ImapSyntaxException("expected a quoted string or a literal");
    }

    public String string() {
        return utf8(stringBytes());
    }

    /** nstring = string / NIL; null for NIL. */
    public String nstring() {
        if (peekIs('"') || peekIs('{') || peekIs('~')) {
            return string();
        }
        String a = atom();
        if (!a.equalsIgnoreCase("NIL")) {
            throw new ImapSyntaxException("expected a string or NIL");
        }
        return null;
    }

    private byte[] quoted() {
        expect('"');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            int c = next();
            if (c == '"') {
                return out.toByteArray();
            }
            if (c == '\\') {
                int e = next();
                if (e != '"' && e != '\\') {
                    throw new ImapSyntaxException("only \\\" and \\\\ may be escaped in a quoted string");
                }
                out.write(e);
            } else if (c == '\r' || c == '\n' || c == 0) {
                throw new ImapSyntaxException("CR, LF and NUL are not allowed in a quoted string");
            } else if (c >= 0x80 && !utf8) {
                throw new ImapSyntaxException("8-bit characters in a quoted string need UTF8=ACCEPT");
            } else {
                out.write(c);
            }
        }
    }

    /**
     * The literal announced here: consumes the announcement, which must end the current text segment, and moves to the
     * text after the literal.
     */
    public Segment.Literal literal() {
        Segment.Text t = text();
        LiteralAnnouncement a = LiteralAnnouncement.atEnd(t.raw(), t.length());
        int announcementStart = pos;
        if (peekIs('~')) {
            pos++;
        }
        if (!peekIs('{') || a == null || seg + 2 > segments.size() - 1
                || !(segments.get(seg + 1) instanceof Segment.Literal l)) {
            pos = announcementStart;
            throw new ImapSyntaxException("malformed literal");
        }
        // the announcement must be the rest of this text segment
        int len = t.length() - announcementStart;
        String expected = (a.binary() ? "~" : "") + "{" + a.size() + (a.synchronizing() ? "" : "+") + "}";
        if (!ascii(announcementStart, t.length()).equals(expected) || len != expected.length()) {
            pos = announcementStart;
            throw new ImapSyntaxException("malformed literal");
        }
        seg += 2;
        pos = 0;
        return l;
    }

    public long number() {
        int start = pos;
        long v = 0;
        while (peek() >= '0' && peek() <= '9') {
            if (pos - start >= 19) {
                throw new ImapSyntaxException("number too large");
            }
            v = v * 10 + (next() - '0');
        }
        if (pos == start) {
            throw new ImapSyntaxException("expected a number");
        }
        return v;
    }

    /** number within the 32-bit unsigned range of RFC 9051's "number". */
    public long number32() {
        long v = number();
        if (v > 0xFFFF_FFFFL) {
            throw new ImapSyntaxException("number out of range");
        }
        return v;
    }

    public long nzNumber() {
        long v = number32();
        if (v == 0) {
            throw new ImapSyntaxException("zero is not allowed here");
        }
        return v;
    }

    /** list-mailbox = 1*list-char / string */
    public String listMailbox() {
        if (peekIs('"') || peekIs('{')) {
            return string();
        }
        int start = pos;
        while (peek() >= 0 && isListChar(peek())) {
            pos++;
        }
        if (pos == start) {
            throw new ImapSyntaxException("expected a mailbox pattern");
        }
        return ascii(start, pos);
    }

    public SequenceSet sequenceSet(int maxRanges) {
        int start = pos;
        while (peek() >= 0 && ("0123456789:,*$".indexOf(peek()) >= 0)) {
            pos++;
        }
        return SequenceSet.parse(ascii(start, pos), maxRanges);
    }

    /** Moves to an absolute position in the first text segment (tests, and re-reading after a peeked keyword). */
    CommandReader skipTo(int position) {
        seg = 0;
        pos = position;
        return this;
    }

    /** The rest of the current text segment, for diagnostics. */
    public String rest() {
        return ascii(pos, text().length());
    }

    private byte[] slice(int from, int to) {
        return java.util.Arrays.copyOfRange(text().raw(), from, to);
    }

    private String ascii(int from, int to) {
        return new String(slice(from, to), StandardCharsets.ISO_8859_1);
    }

    private static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new ImapSyntaxException("invalid UTF-8");
        }
    }
}
