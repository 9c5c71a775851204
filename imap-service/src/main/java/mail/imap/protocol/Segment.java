package mail.imap.protocol;

import java.nio.charset.StandardCharsets;

/**
 * A piece of one client command as framed off the wire: the text between literals, or a literal's octets. A command
 * is the list of its segments; line ends (CRLF) and literal announcements ({@code {n}}) stay inside the text.
 */
public sealed interface Segment {

    /** Text of a command line, up to and including a literal announcement, without the CRLF. */
    record Text(byte[] bytes) implements Segment {
        public Text {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /** The array itself, for the reader in this package, which never changes it. */
        byte[] raw() {
            return bytes;
        }

        byte at(int i) {
            return bytes[i];
        }

        int length() {
            return bytes.length;
        }

        @Override
        public String toString() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /**
     * A literal's content. Small literals are held here; a large one (APPEND) went to the sink the session chose, and
     * this records only where it went.
     *
     * @param binary literal8 ({@code ~{n}}, RFC 3516), which may contain NUL
     */
    record Literal(byte[] bytes, long size, boolean binary, LiteralSink sink) implements Segment {
        public static Literal inMemory(byte[] bytes, boolean binary) {
            return new Literal(bytes.clone(), bytes.length, binary, null);
        }

        public static Literal spooled(LiteralSink sink, long size, boolean binary) {
            return new Literal(null, size, binary, sink);
        }

        public boolean inMemory() {
            return bytes != null;
        }

        @Override
        public byte[] bytes() {
            return bytes == null ? null : bytes.clone();
        }

        @Override
        public String toString() {
            return "{" + size + (binary ? " binary" : "") + (inMemory() ? "" : " spooled") + "}";
        }
    }
}
