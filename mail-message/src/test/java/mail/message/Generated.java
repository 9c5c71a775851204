package mail.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hostile or unusual messages built in code (sizes and shapes that would be silly as resource files). */
final class Generated {
    private Generated() {
    }

    static byte[] nestedMultiparts(int depth) {
        StringBuilder sb = new StringBuilder("From: deep@example.org\r\nSubject: deep\r\n");
        for (int i = 0; i < depth; i++) {
            sb.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\r\n\r\n");
            sb.append("--b").append(i).append("\r\n");
        }
        sb.append("Content-Type: text/plain\r\n\r\ninnermost text\r\n");
        for (int i = depth - 1; i >= 0; i--) {
            sb.append("--b").append(i).append("--\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] nestedMessages(int depth) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            sb.append("From: level").append(i).append("@example.org\r\nSubject: level ").append(i)
                    .append("\r\nContent-Type: message/rfc822\r\n\r\n");
        }
        sb.append("From: bottom@example.org\r\nSubject: bottom\r\n\r\nthe bottom\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] hugeHeaderLine(int length) {
        StringBuilder sb = new StringBuilder("From: a@example.org\r\nSubject: ");
        for (int i = 0; i < length; i++) {
            sb.append((char) ('a' + i % 26));
        }
        sb.append("\r\nX-Folded: one\r\n two\r\nTo: b@example.org\r\n\r\nbody after a huge header\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] manyParts(int parts) {
        StringBuilder sb = new StringBuilder("From: a@example.org\r\nSubject: many\r\n"
                + "Content-Type: multipart/mixed; boundary=m\r\n\r\n");
        for (int i = 0; i < parts; i++) {
            sb.append("--m\r\nContent-Type: text/plain\r\n\r\npart ").append(i).append("\r\n");
        }
        sb.append("--m--\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Lines of 16 KiB give or take a few octets, so CR, LF and boundaries land on both sides of a refill. */
    static byte[] linesAroundBuffer() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, "From: a@example.org\r\nSubject: long lines\r\nContent-Type: multipart/mixed; boundary=L\r\n\r\n");
        int[] lengths = {LineReader.BUFFER - 3, LineReader.BUFFER - 2, LineReader.BUFFER - 1, LineReader.BUFFER,
            LineReader.BUFFER + 1, 3 * LineReader.BUFFER + 7};
        for (int len : lengths) {
            write(out, "--L\r\nContent-Type: text/plain\r\n\r\n");
            write(out, "x".repeat(len) + "\r\n" + "--L-not-a-boundary".repeat(2) + "\r\n" + "y".repeat(len / 2));
            write(out, "\r\n");
        }
        write(out, "--L--\r\n");
        return out.toByteArray();
    }

    static byte[] truncatedInHeader() {
        return ("From: a@example.org\r\nSubject: cut\r\nContent-Type: multipart/mixed; boundary=t\r\n\r\n--t\r\n"
                + "Content-Type: text/plain\r\nContent-Transfer-Encoding: bas").getBytes(StandardCharsets.US_ASCII);
    }

    /** Boundaries that are prefixes of each other, and a delimiter with trailing blanks. */
    static byte[] boundaryPrefixes() {
        return Corpus.crlf("""
                Content-Type: multipart/mixed; boundary=ab

                --ab
                Content-Type: multipart/alternative; boundary=abc

                --abc
                Content-Type: text/plain

                --abcd is body text
                --abc \t
                Content-Type: text/html

                <p>x</p>
                --abc--
                --ab--
                epilogue
                """);
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
