package mail.backup.portability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.SignStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * The mboxrd flavour of mbox: each message starts with a {@code From <sender> <asctime>} line and ends with an empty
 * line; every line of the message matching {@code ^>*From } gets one more {@code >} on the way out and loses one on the
 * way in, which is what makes the quoting reversible (mboxo's is not). Message bytes are written as they are (CRLF
 * stays CRLF), so an export followed by an import gives back the stored bytes exactly; only a message that does not
 * end with a line break gains one, since an mbox message is a sequence of lines.
 */
public final class Mboxrd {
    /** asctime(3), always in UTC: {@code Sun Nov  9 10:00:00 2026}. */
    static final DateTimeFormatter ASCTIME = new DateTimeFormatterBuilder()
            .appendPattern("EEE MMM ")
            .padNext(2).appendValue(ChronoField.DAY_OF_MONTH, 1, 2, SignStyle.NOT_NEGATIVE)
            .appendPattern(" HH:mm:ss yyyy").toFormatter(Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter PARSE = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.US);
    private static final byte[] FROM = "From ".getBytes(StandardCharsets.US_ASCII);

    private Mboxrd() {
    }

    public static String fromLine(String sender, Instant date) {
        String s = sender == null || sender.isBlank() || sender.chars().anyMatch(c -> c <= ' ' || c > '~') ? "MAILER-DAEMON" : sender;
        return "From " + s + " " + ASCTIME.format(date.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)) + "\n";
    }

    /** Writes one message (From_ line, quoted content, separating empty line); streams, never holds it whole. */
    public static long write(OutputStream out, String sender, Instant date, InputStream message) throws IOException {
        out.write(fromLine(sender, date).getBytes(StandardCharsets.US_ASCII));
        byte[] buf = new byte[64 * 1024];
        // state of the line being written: at its start, inside a run of '>' at its start, or past the point that matters
        boolean lineStart = true;
        int quoteRun = 0;
        int fromMatched = -1;
        byte last = '\n';
        long n = 0;
        int r;
        java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream(16);
        while ((r = message.read(buf)) > 0) {
            for (int i = 0; i < r; i++) {
                byte b = buf[i];
                n++;
                last = b;
                if (lineStart || fromMatched >= 0) {
                    // hold back the start of the line until we know whether it is ^>*From
                    if (lineStart && b == '>') {
                        pending.write(b);
                        continue;
                    }
                    if (lineStart) {
                        lineStart = false;
                        fromMatched = 0;
                    }
                    if (b == FROM[fromMatched]) {
                        pending.write(b);
                        fromMatched++;
                        if (fromMatched == FROM.length) {
                            out.write('>');
                            pending.writeTo(out);
                            pending.reset();
                            fromMatched = -1;
                        }
                        continue;
                    }
                    pending.writeTo(out);
                    pending.reset();
                    fromMatched = -1;
                }
                out.write(b);
                if (b == '\n') {
                    lineStart = true;
                }
            }
        }
        pending.writeTo(out);
        if (last != '\n') {
            out.write('\n');
        }
        out.write('\n');
        return n;
    }

    /** The From_ line of a message read back: who and when. */
    public record Envelope(String sender, Instant date, long line) {
    }

    /** Parses a From_ line (without its line break), or throws naming the line. */
    static Envelope parseFromLine(String line, long lineNumber, String file) {
        String rest = line.substring(5).trim();
        int sp = rest.indexOf(' ');
        if (sp <= 0) {
            throw new MboxFormatException(file + " line " + lineNumber + ": malformed From_ line (no date): " + abbreviate(line));
        }
        String sender = rest.substring(0, sp);
        String[] t = rest.substring(sp + 1).trim().split("\\s+");
        // asctime, optionally with a zone after the time or after the year ("+0000", "UTC", "GMT"), as some writers add
        ZoneOffset offset = ZoneOffset.UTC;
        StringBuilder date = new StringBuilder();
        int fields = 0;
        for (String tok : t) {
            if (tok.matches("[+-]\\d{4}")) {
                offset = ZoneOffset.of(tok.substring(0, 3) + ":" + tok.substring(3));
            } else if (tok.equals("UTC") || tok.equals("GMT") || tok.equals("UT")) {
                offset = ZoneOffset.UTC;
            } else {
                date.append(fields++ == 0 ? "" : " ").append(tok);
            }
        }
        try {
            if (fields != 5) {
                throw new DateTimeException("expected 5 fields");
            }
            return new Envelope(sender, LocalDateTime.parse(date.toString(), PARSE).toInstant(offset), lineNumber);
        } catch (DateTimeException e) {
            throw new MboxFormatException(file + " line " + lineNumber + ": malformed From_ line (date is not asctime, e.g. "
                    + "'Sun Nov 29 10:00:00 2026'): " + abbreviate(line));
        }
    }

    static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
