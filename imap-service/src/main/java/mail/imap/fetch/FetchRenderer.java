package mail.imap.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import mail.core.blob.BlobStore;
import mail.core.blob.BlobStoreException;
import mail.core.event.MessageRef;
import mail.imap.protocol.ImapCommand.FetchItem;
import mail.imap.protocol.ImapCommand.Section;
import mail.imap.protocol.ImapCommand.Simple;
import mail.imap.protocol.ResponseWriter;
import mail.message.BodyPart;
import mail.message.ByteRange;
import mail.message.Envelope;
import mail.message.HeaderSection;
import mail.message.MessageMetadataBson;
import mail.message.ParsedMessage;
import mail.message.SearchText;
import org.bson.Document;

/**
 * Writes the {@code * <seq> FETCH (...)} response of one message (RFC 9051 §6.4.5, §7.5.2; RFC 3516 BINARY;
 * RFC 7162 MODSEQ).
 *
 * <p>Everything is worked out before the first octet goes to the sink: part ranges, decoded sizes of BINARY items
 * (one counting pass over the part), unknown transfer encodings, and the opening of the first body stream. So a
 * failure of the object store or a {@code NO [UNKNOWN-CTE]} case surfaces as a {@link FetchException} with
 * {@code outputStarted() == false}, and the session can still answer with a tagged NO. Body octets then stream from
 * ranged reads of the object store through a fixed-size buffer: a 50 MB message is never in memory.
 *
 * <p>Thread-safe; it blocks on the object store, so call it off the event loop.
 */
public final class FetchRenderer {
    private static final DateTimeFormatter INTERNAL_DATE =
            DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH);
    /** Header ranges up to this size are filtered in memory from one read instead of being read twice. */
    private static final int SMALL_HEADER = 256 * 1024;

    private final BlobStore blobs;
    private final ZoneId zone;
    private final int chunkSize;

    /**
     * @param zone      the time zone INTERNALDATE is written in (the store keeps an instant, not the original offset)
     * @param chunkSize octets per {@link ChunkSink#write} call while streaming bodies
     */
    public FetchRenderer(BlobStore blobs, ZoneId zone, int chunkSize) {
        this.blobs = Objects.requireNonNull(blobs, "blobs");
        this.zone = Objects.requireNonNull(zone, "zone");
        if (chunkSize < 512) {
            throw new IllegalArgumentException("chunkSize must be at least 512");
        }
        this.chunkSize = chunkSize;
    }

    /**
     * @param utf8         the session accepts UTF-8 in quoted strings (IMAP4rev2 or UTF8=ACCEPT enabled)
     * @param flagsChanged the session just set {@code \Seen} implicitly on this message: RFC 9051 §6.4.5 wants the
     *                     new FLAGS in the response, so FLAGS is added when the client did not ask for it
     * @throws FetchException see the class comment; anything the sink throws passes through untouched
     */
    public void render(long seq, FetchedMessage message, FetchPlan plan, boolean utf8, boolean flagsChanged,
                       ChunkSink sink) {
        Response r = prepare(seq, message, plan, utf8, flagsChanged);
        r.writeTo(sink, () -> false);
    }

    /**
     * Works out the response as {@link #render} does (failures before any output surface here) and returns it
     * unwritten, for a caller that writes it as fast as its connection takes it ({@link Response#writeTo}).
     */
    public Response prepare(long seq, FetchedMessage message, FetchPlan plan, boolean utf8, boolean flagsChanged) {
        List<Piece> pieces = new ArrayList<>();
        ResponseWriter w = new ResponseWriter(utf8);
        w.raw("* ").number(seq).raw(" FETCH (");
        Model model = new Model(message);
        boolean first = true;
        boolean flagsAsked = plan.items().stream().anyMatch(i -> i instanceof Simple s && s.name().equals("FLAGS"));
        if (flagsChanged && !flagsAsked) {
            // first, not after the literals: a client learns the new \Seen before reading a large body
            flags(w, message);
            first = false;
        }
        for (FetchItem item : plan.items()) {
            if (!first) {
                w.sp();
            }
            first = false;
            if (item instanceof Simple s) {
                w = simple(s.name(), message, model, w, pieces, utf8);
            } else if (item instanceof Section s) {
                w = section(s, message, model, w, pieces, utf8);
            }
        }
        w.raw(")").crlf();
        pieces.add(new Inline(w.toBytes()));
        return new Response(pieces, message);
    }

    // ------------------------------------------------------------------------------------------------ items

    private ResponseWriter simple(String name, FetchedMessage m, Model model, ResponseWriter w, List<Piece> pieces,
                                  boolean utf8) {
        switch (name) {
            case "UID" -> w.raw("UID ").number(m.uid());
            case "FLAGS" -> flags(w, m);
            case "MODSEQ" -> w.raw("MODSEQ (").number(m.modSeq()).raw(")");
            case "RFC822.SIZE" -> w.raw("RFC822.SIZE ").number(m.size());
            case "INTERNALDATE" -> {
                w.raw("INTERNALDATE ");
                if (m.internalDate() == null) {
                    w.nil();
                } else {
                    w.raw("\"").raw(INTERNAL_DATE.format(m.internalDate().atZone(zone))).raw("\"");
                }
            }
            case "ENVELOPE" -> {
                w.raw("ENVELOPE ");
                Document env = m.metadata().get("env", Document.class);
                StructureWriter.envelope(w, env == null ? Envelope.empty() : MessageMetadataBson.envelope(env));
            }
            case "BODY", "BODYSTRUCTURE" -> {
                w.raw(name).sp();
                StructureWriter.body(w, model.parsed().body(), name.equals("BODYSTRUCTURE"));
            }
            case "RFC822" -> {
                w.raw("RFC822 ");
                return stream(w, pieces, new Streamed(new ByteRange(0, m.size()), Transform.RAW, null,
                        0, m.size(), false), utf8);
            }
            case "RFC822.HEADER" -> {
                w.raw("RFC822.HEADER ");
                return header(w, pieces, model, m, utf8);
            }
            case "RFC822.TEXT" -> {
                w.raw("RFC822.TEXT ");
                ParsedMessage p = model.parsed();
                ByteRange text = new ByteRange(Math.min(p.headerLength(), m.size()), m.size());
                return stream(w, pieces, new Streamed(text, Transform.RAW, null, 0, text.length(), false),
                        utf8);
            }
            default -> throw new IllegalArgumentException("not a FETCH item: " + name);
        }
        return w;
    }

    private static void flags(ResponseWriter w, FetchedMessage m) {
        w.raw("FLAGS (");
        boolean first = true;
        for (String f : m.flags()) {
            w.raw(first ? "" : " ").raw(f);
            first = false;
        }
        for (String k : m.keywords()) {
            w.raw(first ? "" : " ").raw(k);
            first = false;
        }
        w.raw(")");
    }

    private ResponseWriter header(ResponseWriter w, List<Piece> pieces, Model model, FetchedMessage m,
                                  boolean utf8) {
        String raw = model.rawHeader();
        if (raw != null) {
            w.literal(raw.getBytes(StandardCharsets.ISO_8859_1));
            return w;
        }
        ByteRange range = new ByteRange(0, Math.min(model.parsed().headerLength(), m.size()));
        return stream(w, pieces, new Streamed(range, Transform.RAW, null, 0, range.length(), false), utf8);
    }

    private ResponseWriter section(Section s, FetchedMessage m, Model model, ResponseWriter w, List<Piece> pieces,
                                   boolean utf8) {
        ParsedMessage p = model.parsed();
        String numbers = joined(s.part());
        if (s.kind() == Section.Kind.BODY) {
            w.raw("BODY[").raw(numbers);
            if (s.text() != null) {
                w.raw(numbers.isEmpty() ? "" : ".").raw(s.text());
                if (s.text().startsWith("HEADER.FIELDS")) {
                    w.raw(" (");
                    for (int i = 0; i < s.fields().size(); i++) {
                        if (i > 0) {
                            w.sp();
                        }
                        w.astring(s.fields().get(i));
                    }
                    w.raw(")");
                }
            }
            w.raw("]");
            partialSuffix(w, s);
            w.sp();
            return bodySection(s, m, model, p, numbers, w, pieces, utf8);
        }
        BodyPart part = s.part().isEmpty() ? null : p.section(toArray(s.part()));
        ByteRange range;
        String encoding;
        if (part == null) {
            // BINARY[] is the whole message as it is; a part that does not exist is empty
            range = s.part().isEmpty() ? new ByteRange(0, m.size()) : ByteRange.EMPTY;
            encoding = "8bit";
        } else if (part.isMultipart() || part.isMessage()) {
            // containers are never transfer-encoded (RFC 2045 §6.4); their octets are their own decoding
            range = clip(new ByteRange(part.bodyStart(), part.bodyEnd()), m.size());
            encoding = TransferDecoding.isIdentity(part.encoding()) ? part.encoding() : "8bit";
        } else {
            range = clip(new ByteRange(part.bodyStart(), part.bodyEnd()), m.size());
            encoding = part.encoding();
        }
        if (!TransferDecoding.isKnown(encoding)) {
            throw new FetchException(FetchException.Reason.UNKNOWN_CTE, false,
                    "cannot decode Content-Transfer-Encoding " + encoding + " of part " + numbers, null);
        }
        boolean identity = TransferDecoding.isIdentity(encoding);
        long decodedSize;
        boolean nul = false;
        if (identity || range.length() == 0) {
            decodedSize = range.length();
        } else {
            Window counter = Window.counting();
            pump(m, new Streamed(range, Transform.DECODE, encoding, 0, Long.MAX_VALUE, false), counter);
            decodedSize = counter.passed;
            nul = counter.sawNul;
        }
        if (s.kind() == Section.Kind.BINARY_SIZE) {
            w.raw("BINARY.SIZE[").raw(numbers).raw("] ").number(decodedSize);
            return w;
        }
        w.raw("BINARY[").raw(numbers).raw("]");
        partialSuffix(w, s);
        w.sp();
        long origin = s.partial().map(a -> a[0]).orElse(0L);
        long length = s.partial().map(a -> a[1]).orElse(Long.MAX_VALUE);
        long start = Math.min(origin, decodedSize);
        long count = Math.min(length, decodedSize - start);
        // RFC 3516 §4.3: literal8 is needed when the decoded octets may contain NUL
        boolean literal8 = nul || encoding.strip().equalsIgnoreCase("binary");
        if (identity) {
            ByteRange slice = range.partial(start, count);
            return stream(w, pieces, new Streamed(slice, Transform.RAW, null, 0, slice.length(), literal8),
                    utf8);
        }
        return stream(w, pieces, new Streamed(range, Transform.DECODE, encoding, start, count, literal8), utf8);
    }

    private ResponseWriter bodySection(Section s, FetchedMessage m, Model model, ParsedMessage p, String numbers,
                                       ResponseWriter w, List<Piece> pieces, boolean utf8) {
        String text = s.text();
        long origin = s.partial().map(a -> a[0]).orElse(0L);
        long length = s.partial().map(a -> a[1]).orElse(Long.MAX_VALUE);
        if (text != null && text.startsWith("HEADER.FIELDS")) {
            boolean exclude = text.equals("HEADER.FIELDS.NOT");
            if (numbers.isEmpty() && model.rawHeader() != null) {
                byte[] selected = HeaderSection.select(model.rawHeader(), s.fields(), exclude)
                        .getBytes(StandardCharsets.ISO_8859_1);
                inline(w, slice(selected, origin, length));
                return w;
            }
            ByteRange range = clip(rangeOf(p, numbers, "HEADER"), m.size());
            if (range.length() <= SMALL_HEADER) {
                byte[] header = readAll(m, range);
                java.io.ByteArrayOutputStream selected = new java.io.ByteArrayOutputStream();
                HeaderFieldFilter f = new HeaderFieldFilter(s.fields(), exclude, selected::write);
                f.feed(header, 0, header.length);
                f.finish();
                inline(w, slice(selected.toByteArray(), origin, length));
                return w;
            }
            Window counter = Window.counting();
            Streamed filter = new Streamed(range, Transform.FILTER, null, 0, Long.MAX_VALUE, false)
                    .withFields(s.fields(), exclude);
            pump(m, filter, counter);
            long start = Math.min(origin, counter.passed);
            long count = Math.min(length, counter.passed - start);
            return stream(w, pieces, new Streamed(range, Transform.FILTER, null, start, count, false)
                    .withFields(s.fields(), exclude), utf8);
        }
        if (numbers.isEmpty() && "HEADER".equals(text) && model.rawHeader() != null) {
            inline(w, slice(model.rawHeader().getBytes(StandardCharsets.ISO_8859_1), origin, length));
            return w;
        }
        ByteRange whole = clip(rangeOf(p, numbers, text), m.size());
        ByteRange slice = s.partial().isPresent() ? whole.partial(origin, length) : whole;
        return stream(w, pieces, new Streamed(slice, Transform.RAW, null, 0, slice.length(), false), utf8);
    }

    /** ParsedMessage.range for a part number list and HEADER / TEXT / MIME (or null for the part itself). */
    private static ByteRange rangeOf(ParsedMessage p, String numbers, String text) {
        String spec = numbers.isEmpty() ? (text == null ? "" : text)
                : (text == null ? numbers : numbers + "." + text);
        ByteRange r = p.range(spec);
        return r == null ? ByteRange.EMPTY : r;
    }

    private static ByteRange clip(ByteRange r, long size) {
        long to = Math.min(r.to(), size);
        return new ByteRange(Math.min(r.from(), to), to);
    }

    private static void partialSuffix(ResponseWriter w, Section s) {
        // RFC 9051 §7.5.2: the response names only the origin of a partial fetch
        s.partial().ifPresent(a -> w.raw("<").number(a[0]).raw(">"));
    }

    private static void inline(ResponseWriter w, byte[] content) {
        if (content.length == 0) {
            w.raw("\"\"");
        } else {
            w.literal(content);
        }
    }

    private static byte[] slice(byte[] b, long origin, long length) {
        int start = (int) Math.min(origin, b.length);
        int end = (int) Math.min((long) start + Math.min(length, Integer.MAX_VALUE), b.length);
        return java.util.Arrays.copyOfRange(b, start, end);
    }

    private ResponseWriter stream(ResponseWriter w, List<Piece> pieces, Streamed s, boolean utf8) {
        if (s.length == 0) {
            w.raw("\"\"");
            return w;
        }
        pieces.add(new Inline(w.toBytes()));
        pieces.add(s);
        return new ResponseWriter(utf8);
    }

    private static String joined(List<Integer> part) {
        StringBuilder b = new StringBuilder();
        for (int n : part) {
            if (b.length() > 0) {
                b.append('.');
            }
            b.append(n);
        }
        return b.toString();
    }

    private static int[] toArray(List<Integer> part) {
        int[] a = new int[part.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = part.get(i);
        }
        return a;
    }

    // ------------------------------------------------------------------------------------------------ output

    /**
     * One message's FETCH response being written. {@link #writeTo} goes on until the response is complete or the
     * caller's {@code full} test says the connection has enough queued; the caller then calls it again once the
     * client has read, and the open body stream picks up where it stopped. No thread waits in between, and what
     * one call queues is at most one chunk (or the small parts between two literals) past the point {@code full}
     * turned true.
     */
    public final class Response implements AutoCloseable {
        private final List<Piece> pieces;
        private final FetchedMessage m;
        private final ByteAccumulator pending = new ByteAccumulator();
        private int next;
        private boolean started;
        private Transfer current;
        private ChunkSink sink;

        private Response(List<Piece> pieces, FetchedMessage m) {
            this.pieces = pieces;
            this.m = m;
        }

        /**
         * @return true when the response is complete, false when {@code full} stopped it (call again to go on)
         * @throws FetchException as {@link #render}; anything the sink throws passes through. Either way the open
         *                        body stream is closed.
         */
        public boolean writeTo(ChunkSink target, java.util.function.BooleanSupplier full) {
            this.sink = target;
            try {
                while (next < pieces.size()) {
                    Piece piece = pieces.get(next);
                    if (piece instanceof Inline in) {
                        pending.add(in.bytes);
                        next++;
                        continue;
                    }
                    Streamed s = (Streamed) piece;
                    if (current == null) {
                        InputStream source;
                        try {
                            source = open(m, s.range);
                        } catch (FetchException e) {
                            throw started ? e.started() : e;
                        }
                        current = new Transfer(source, s, Window.to((b, o, l) -> sink.write(b, o, l), s.origin, s.length));
                        pending.add(((s.literal8 ? "~{" : "{") + s.length + "}\r\n").getBytes(StandardCharsets.US_ASCII));
                        pending.flushTo(target);
                        started = true;
                    } else if (current.step()) {
                        long passed = current.out.passed;
                        close();
                        if (passed != s.length) {
                            throw new FetchException(FetchException.Reason.BODY_MISSING, true,
                                    "message " + m.blob().blobKey() + " ended " + (s.length - passed) + " octets early", null);
                        }
                        next++;
                        continue;
                    }
                    if (full.getAsBoolean()) {
                        return false;
                    }
                }
                pending.flushTo(target);
                return true;
            } catch (IOException e) {
                close();
                throw new FetchException(FetchException.Reason.UNAVAILABLE, true,
                        "reading " + m.blob().blobKey() + " failed: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        /** Releases the body stream of a response that will not be finished (the connection went away). */
        @Override
        public void close() {
            if (current != null) {
                current.close();
                current = null;
            }
        }

        /** One body stream under way: raw octets from the object store, transformed, through the output window. */
        private final class Transfer {
            private final InputStream raw;
            private final InputStream in;
            private final Window out;
            private final HeaderFieldFilter filter;
            private final byte[] buf = new byte[chunkSize];

            Transfer(InputStream raw, Streamed s, Window out) {
                this.raw = raw;
                this.out = out;
                this.filter = s.transform == Transform.FILTER ? new HeaderFieldFilter(s.fields, s.exclude, out::write) : null;
                this.in = s.transform == Transform.DECODE ? TransferDecoding.decode(s.encoding, raw) : raw;
            }

            /** Reads and passes on one buffer; true once the window is full or the source ended. */
            boolean step() throws IOException {
                try {
                    if (filter != null) {
                        int r = out.full() || filter.done() ? -1 : raw.read(buf);
                        if (r < 0) {
                            filter.finish();
                            return true;
                        }
                        filter.feed(buf, 0, r);
                        return false;
                    }
                    int r = out.full() ? -1 : in.read(buf);
                    if (r < 0) {
                        return true;
                    }
                    out.write(buf, 0, r);
                    return out.full();
                } catch (BlobStoreException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            void close() {
                try {
                    raw.close();
                } catch (IOException e) {
                    // a body stream abandoned mid-way: nothing is lost by not closing it cleanly
                }
            }
        }
    }

    private InputStream open(FetchedMessage m, ByteRange range) {
        MessageRef ref = m.blob();
        if (ref == null) {
            throw new IllegalStateException("the blob fields were not projected (use FetchPlan.projection())");
        }
        try {
            return blobs.getRange(ref, range.from(), range.length());
        } catch (BlobStoreException e) {
            throw new FetchException(e.transientFailure() ? FetchException.Reason.UNAVAILABLE
                    : FetchException.Reason.BODY_MISSING, false, "cannot read " + ref.blobKey() + ": " + e.getMessage(), e);
        }
    }

    /** A counting pass (or a small read) before any output: failures leave nothing written. */
    private void pump(FetchedMessage m, Streamed s, Window out) {
        try (InputStream in = open(m, s.range)) {
            transfer(in, s, out, m);
        } catch (IOException | BlobStoreException e) {
            throw new FetchException(FetchException.Reason.UNAVAILABLE, false,
                    "reading " + m.blob().blobKey() + " failed: " + e.getMessage(), e);
        }
    }

    private byte[] readAll(FetchedMessage m, ByteRange range) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream((int) range.length());
        Window w = Window.to(b::write, 0, Long.MAX_VALUE);
        pump(m, new Streamed(range, Transform.RAW, null, 0, Long.MAX_VALUE, false), w);
        return b.toByteArray();
    }

    private void transfer(InputStream raw, Streamed s, Window out, FetchedMessage m) throws IOException {
        byte[] buf = new byte[chunkSize];
        try {
            if (s.transform == Transform.FILTER) {
                HeaderFieldFilter f = new HeaderFieldFilter(s.fields, s.exclude, out::write);
                int r;
                while (!out.full() && !f.done() && (r = raw.read(buf)) >= 0) {
                    f.feed(buf, 0, r);
                }
                f.finish();
                return;
            }
            InputStream in = s.transform == Transform.DECODE ? TransferDecoding.decode(s.encoding, raw) : raw;
            int r;
            while (!out.full() && (r = in.read(buf)) >= 0) {
                out.write(buf, 0, r);
            }
        } catch (BlobStoreException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------ values

    private sealed interface Piece permits Inline, Streamed {
    }

    private record Inline(byte[] bytes) implements Piece {
    }

    private enum Transform { RAW, DECODE, FILTER }

    /** Body octets from the object store: a range, transformed, then the window [origin, origin + length). */
    private static final class Streamed implements Piece {
        final ByteRange range;
        final Transform transform;
        final String encoding;
        final long origin;
        final long length;
        final boolean literal8;
        List<String> fields = List.of();
        boolean exclude;

        Streamed(ByteRange range, Transform transform, String encoding, long origin, long length, boolean literal8) {
            this.range = range;
            this.transform = transform;
            this.encoding = encoding;
            this.origin = origin;
            this.length = length;
            this.literal8 = literal8;
        }

        Streamed withFields(List<String> names, boolean excluded) {
            this.fields = names;
            this.exclude = excluded;
            return this;
        }
    }

    /** Skips {@code origin} octets, passes at most {@code length}, counts and notes NUL octets. */
    private static final class Window implements HeaderFieldFilter.Output {
        private final HeaderFieldFilter.Output target;
        private long skip;
        private final long length;
        long passed;
        boolean sawNul;

        private Window(HeaderFieldFilter.Output target, long origin, long length) {
            this.target = target;
            this.skip = origin;
            this.length = length;
        }

        static Window counting() {
            return new Window(null, 0, Long.MAX_VALUE);
        }

        static Window to(HeaderFieldFilter.Output out, long origin, long length) {
            return new Window(out, origin, length);
        }

        boolean full() {
            return passed >= length;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (skip > 0) {
                int s = (int) Math.min(skip, len);
                skip -= s;
                off += s;
                len -= s;
            }
            int n = (int) Math.min(len, length - passed);
            if (n <= 0) {
                return;
            }
            if (target == null) {
                for (int i = off; i < off + n && !sawNul; i++) {
                    sawNul = b[i] == 0;
                }
            } else {
                target.write(b, off, n);
            }
            passed += n;
        }
    }

    /** The small parts of the response between literals, sent with the next literal's header in one write. */
    private static final class ByteAccumulator {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256);

        void add(byte[] b) {
            out.writeBytes(b);
        }

        void flushTo(ChunkSink sink) {
            if (out.size() > 0) {
                byte[] b = out.toByteArray();
                out.reset();
                sink.write(b, 0, b.length);
            }
        }
    }

    /** The parsed-message view of the projected metadata, built once per message and only when an item needs it. */
    private static final class Model {
        private final FetchedMessage message;
        private ParsedMessage parsed;

        Model(FetchedMessage message) {
            this.message = message;
        }

        String rawHeader() {
            String raw = message.metadata().getString("rawHdr");
            // a stored header that does not match the recorded length is not trusted to stand for the blob's bytes
            return raw != null && raw.length() == parsed().headerLength() ? raw : null;
        }

        ParsedMessage parsed() {
            if (parsed == null) {
                Document meta = message.metadata();
                Document body = meta.get("body", Document.class);
                long size = message.size();
                long headerLength = Math.min(FetchedMessage.number(meta, "hdrLen"), size);
                BodyPart root = body != null ? MessageMetadataBson.part(body)
                        : new BodyPart("text", "plain", java.util.Map.of("charset", "us-ascii"), null, null, "7bit",
                        null, null, List.of(), null, 0, headerLength, size, 0, List.of(), null, null);
                parsed = new ParsedMessage(size, headerLength, 0, Envelope.empty(), root, null, null, "", null,
                        List.of(), "", SearchText.empty(), false, false, false, List.of());
            }
            return parsed;
        }
    }
}
