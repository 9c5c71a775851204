package mail.message;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

final class Corpus {
    private Corpus() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Corpus.class.getResourceAsStream("/corpus/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no corpus file " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ParsedMessage parse(byte[] raw) {
        return parse(raw, ParserLimits.DEFAULTS);
    }

    static ParsedMessage parse(byte[] raw, ParserLimits limits) {
        try {
            return new MessageParser(limits).parse(new ByteArrayInputStream(raw));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String slice(byte[] raw, long from, long to) {
        return new String(raw, (int) from, (int) (to - from), StandardCharsets.ISO_8859_1);
    }

    /** CRLF line ends, as SMTP delivers them, from a Java text block. */
    static byte[] crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
