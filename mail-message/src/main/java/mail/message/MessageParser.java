package mail.message;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Parses a raw RFC 5322 message in one streaming pass into a {@link ParsedMessage}.
 *
 * <p>Why our own boundary scanner instead of mime4j's MimeTokenStream: IMAP needs exact octet offsets of every
 * header and body (BODY[1.2.MIME], partial fetches from the object store), and mime4j reads ahead through its
 * own buffers and normalises line ends, so a counting stream around it only knows how far mime4j has read,
 * not where a part starts. A line-oriented scanner that knows all enclosing boundaries gets offsets, line
 * counts and the "CRLF before the delimiter belongs to the delimiter" rule exact by construction, and keeps
 * memory at one 16 KiB line buffer whatever the input. mime4j still does what it is good at: RFC 2047
 * encoded-word decoding and charset lookup.
 *
 * <p>Best effort by contract: malformed MIME never throws, it yields a usable description and a defect code;
 * only I/O errors of the given stream propagate. The stream is read to its end and not closed.
 * Instances are immutable and thread-safe.
 */
public final class MessageParser {
    private final ParserLimits limits;

    public MessageParser() {
        this(ParserLimits.DEFAULTS);
    }

    public MessageParser(ParserLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public ParsedMessage parse(InputStream raw) throws IOException {
        return new EntityScanner(raw, limits).run();
    }
}
