package mail.imap.fetch;

import static mail.imap.fetch.FetchRendererTest.body;
import static mail.imap.fetch.FetchRendererTest.section;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import mail.imap.protocol.ImapCommand.Section;
import mail.imap.protocol.ImapCommand.Simple;
import org.junit.jupiter.api.Test;

/** Bodies travel in chunks through ranged reads, and failures say whether the response had started. */
class FetchStreamingTest {
    private static final int CHUNK = 4096;
    private final MemoryBlobStore blobs = new MemoryBlobStore();
    private final FetchRenderer renderer = new FetchRenderer(blobs, ZoneOffset.UTC, CHUNK);

    /** A 6 MB message: a text part and a base64 attachment of 4.5 MB of pseudo-random octets. */
    private static byte[] large(byte[] attachment) {
        StringBuilder b = new StringBuilder();
        b.append("From: big@example.com\r\nSubject: large\r\nMIME-Version: 1.0\r\n")
                .append("Content-Type: multipart/mixed; boundary=\"zz\"\r\n\r\n--zz\r\n")
                .append("Content-Type: text/plain\r\n\r\nsee attachment\r\n--zz\r\n")
                .append("Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        String encoded = java.util.Base64.getMimeEncoder().encodeToString(attachment);
        b.append(encoded).append("\r\n--zz--\r\n");
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] attachment() {
        byte[] a = new byte[4_500_000];
        new java.util.Random(7).nextBytes(a);
        return a;
    }

    /** Records what reaches the connection: total octets, the largest single write, and a digest of the stream. */
    private static final class Recorder implements ChunkSink {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        final MessageDigest digest;
        long total;
        int largest;
        int writes;

        Recorder() throws Exception {
            digest = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            if (head.size() < 200) {
                head.write(bytes, offset, Math.min(length, 200));
            }
            digest.update(bytes, offset, length);
            total += length;
            largest = Math.max(largest, length);
            writes++;
            // the renderer reuses its buffer: scribbling over it after the call must not matter
            java.util.Arrays.fill(bytes, offset, offset + length, (byte) '#');
        }
    }

    private static byte[] sha(byte[]... parts) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) {
            d.update(p);
        }
        return d.digest();
    }

    @Test
    void aLargeMessageGoesOutInChunksFromRangedReads() throws Exception {
        byte[] raw = large(attachment());
        FetchedMessage m = StoredMessages.stored(blobs, raw);
        Recorder r = new Recorder();
        renderer.render(5, m, FetchPlan.of(List.of(body("")), false, false), false, false, r);
        byte[] prefix = ("* 5 FETCH (BODY[] {" + raw.length + "}\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(r.total).isEqualTo(prefix.length + raw.length + 3);
        assertThat(r.digest.digest()).isEqualTo(sha(prefix, raw, ")\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(r.largest).as("never more than one chunk per write").isLessThanOrEqualTo(CHUNK);
        assertThat(r.writes).isGreaterThan(raw.length / CHUNK);
        assertThat(blobs.reads).extracting(x -> x[0] + ":" + x[1]).containsExactly("0:" + raw.length);
    }

    /**
     * Written against a connection that takes only what its client read: each call stops once the queue reaches the
     * mark, with at most one chunk more queued, and the next call goes on where it stopped, body stream and transfer
     * decoding included, until the response is whole and exactly as an unpaused one.
     */
    @Test
    void aResponseWrittenToASlowConnectionStopsAtTheMarkAndResumesWhereItStopped() throws Exception {
        byte[] attachment = attachment();
        byte[] raw = large(attachment);
        FetchedMessage m = StoredMessages.stored(blobs, raw);
        FetchPlan plan = FetchPlan.of(List.of(new Simple("UID"), body(""), section(Section.Kind.BINARY, true, "2", null)), false, false);
        Recorder whole = new Recorder();
        renderer.render(3, m, plan, false, false, whole);

        int mark = 32 * 1024;
        Recorder paced = new Recorder();
        long[] queued = {0};
        long[] maxQueued = {0};
        ChunkSink connection = (b, o, l) -> {
            paced.write(b, o, l);
            queued[0] += l;
            maxQueued[0] = Math.max(maxQueued[0], queued[0]);
        };
        FetchRenderer.Response r = renderer.prepare(3, m, plan, false, false);
        int pauses = 0;
        while (!r.writeTo(connection, () -> queued[0] >= mark)) {
            pauses++;
            queued[0] = 0; // the client reads everything queued
        }
        assertThat(pauses).isGreaterThan((raw.length + attachment.length) / (mark + CHUNK));
        assertThat(maxQueued[0]).isLessThanOrEqualTo(mark + CHUNK + 200);
        assertThat(paced.total).isEqualTo(whole.total);
        assertThat(paced.digest.digest()).isEqualTo(whole.digest.digest());
    }

    @Test
    void aResponseAbandonedWhilePausedClosesItsBodyStream() throws Exception {
        FetchedMessage m = StoredMessages.stored(blobs, large(attachment()));
        FetchRenderer.Response r = renderer.prepare(1, m, FetchPlan.of(List.of(body("")), false, false), false, false);
        assertThat(r.writeTo((b, o, l) -> { }, () -> true)).isFalse();
        assertThat(blobs.open.get()).isEqualTo(1);
        r.close();
        assertThat(blobs.open.get()).isZero();
    }

    @Test
    void binaryOfALargeAttachmentIsDecodedInChunks() throws Exception {
        byte[] attachment = attachment();
        byte[] raw = large(attachment);
        FetchedMessage m = StoredMessages.stored(blobs, raw);
        Recorder r = new Recorder();
        renderer.render(5, m, FetchPlan.of(List.of(section(Section.Kind.BINARY, true, "2", null)), false, false),
                false, false, r);
        byte[] prefix = ("* 5 FETCH (BINARY[2] ~{" + attachment.length + "}\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(new String(r.head.toByteArray(), 0, prefix.length, StandardCharsets.US_ASCII))
                .isEqualTo(new String(prefix, StandardCharsets.US_ASCII));
        assertThat(r.digest.digest()).isEqualTo(sha(prefix, attachment, ")\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(r.largest).isLessThanOrEqualTo(CHUNK);
        assertThat(blobs.reads).as("one counting pass, one sending pass, both over the part only").hasSize(2)
                .allSatisfy(x -> assertThat(x[1]).isLessThan(raw.length - 200));

        blobs.reads.clear();
        Recorder partial = new Recorder();
        renderer.render(5, m, FetchPlan.of(List.of(section(Section.Kind.BINARY, true, "2", new long[] {1_000_000, 10})),
                false, false), false, false, partial);
        byte[] p = ("* 5 FETCH (BINARY[2]<1000000> ~{10}\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(partial.digest.digest()).isEqualTo(sha(p, java.util.Arrays.copyOfRange(attachment, 1_000_000, 1_000_010),
                ")\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void storeDownBeforeTheFirstOctetLeavesNothingWritten() throws Exception {
        FetchedMessage m = StoredMessages.stored(blobs, large(new byte[1000]));
        blobs.down = true;
        Recorder r = new Recorder();
        assertThatThrownBy(() -> renderer.render(1, m, FetchPlan.of(List.of(new Simple("UID"), body("1")), false, false),
                false, false, r)).isInstanceOfSatisfying(FetchException.class, e -> {
                    assertThat(e.reason()).isEqualTo(FetchException.Reason.UNAVAILABLE);
                    assertThat(e.outputStarted()).isFalse();
                });
        assertThatThrownBy(() -> renderer.render(1, m, FetchPlan.of(List.of(section(Section.Kind.BINARY_SIZE, true, "2", null)),
                false, false), false, false, r)).isInstanceOfSatisfying(FetchException.class,
                        e -> assertThat(e.outputStarted()).isFalse());
        assertThat(r.total).isZero();
        blobs.down = false;
        renderer.render(1, m, FetchPlan.of(List.of(new Simple("UID"), body("1")), false, false), false, false, r);
        assertThat(r.head.toString(StandardCharsets.US_ASCII)).isEqualTo("* 1 FETCH (UID 7 BODY[1] {14}\r\nsee attachment)\r\n");
    }

    @Test
    void aMissingObjectIsPermanent() throws Exception {
        FetchedMessage m = StoredMessages.stored(blobs, large(new byte[10]));
        blobs.delete(m.blob());
        Recorder r = new Recorder();
        assertThatThrownBy(() -> renderer.render(1, m, FetchPlan.of(List.of(body("")), false, false), false, false, r))
                .isInstanceOfSatisfying(FetchException.class, e -> {
                    assertThat(e.reason()).isEqualTo(FetchException.Reason.BODY_MISSING);
                    assertThat(e.outputStarted()).isFalse();
                });
        assertThat(r.total).isZero();
    }

    @Test
    void aBreakInTheMiddleSaysTheResponseHasStarted() throws Exception {
        byte[] raw = large(attachment());
        FetchedMessage m = StoredMessages.stored(blobs, raw);
        blobs.breakRead = 0;
        blobs.breakAfter = 100_000;
        Recorder r = new Recorder();
        assertThatThrownBy(() -> renderer.render(1, m, FetchPlan.of(List.of(body("")), false, false), false, false, r))
                .isInstanceOfSatisfying(FetchException.class, e -> {
                    assertThat(e.reason()).isEqualTo(FetchException.Reason.UNAVAILABLE);
                    assertThat(e.outputStarted()).as("the session must close the connection").isTrue();
                });
        assertThat(r.total).isGreaterThanOrEqualTo(100_000);
    }

    @Test
    void aSecondBodyFailingToOpenAfterTheFirstWasSentHasStarted() throws Exception {
        FetchedMessage m = StoredMessages.stored(blobs, large(new byte[100]));
        List<byte[]> written = new ArrayList<>();
        ChunkSink failAfterFirst = (b, o, l) -> {
            written.add(java.util.Arrays.copyOfRange(b, o, o + l));
            blobs.down = true;
        };
        assertThatThrownBy(() -> renderer.render(1, m, FetchPlan.of(List.of(body("1"), body("2")), false, false), false,
                false, failAfterFirst)).isInstanceOfSatisfying(FetchException.class, e -> {
                    assertThat(e.reason()).isEqualTo(FetchException.Reason.UNAVAILABLE);
                    assertThat(e.outputStarted()).isTrue();
                });
        assertThat(new String(written.get(0), StandardCharsets.US_ASCII)).isEqualTo("* 1 FETCH (BODY[1] {14}\r\n");
    }

    @Test
    void anObjectShorterThanItsMetadataIsDetected() throws Exception {
        byte[] raw = large(new byte[3000]);
        FetchedMessage m = StoredMessages.stored(blobs, raw);
        blobs.replace(m.blob(), java.util.Arrays.copyOf(raw, raw.length - 500));
        Recorder r = new Recorder();
        assertThatThrownBy(() -> renderer.render(1, m, FetchPlan.of(List.of(new Simple("RFC822")), false, false), false,
                false, r)).isInstanceOfSatisfying(FetchException.class, e -> {
                    assertThat(e.reason()).isEqualTo(FetchException.Reason.BODY_MISSING);
                    assertThat(e.outputStarted()).isTrue();
                });
    }

    @Test
    void aDeadConnectionPassesThroughUntouched() throws Exception {
        FetchedMessage m = StoredMessages.stored(blobs, large(new byte[100]));
        ChunkSink closed = (b, o, l) -> {
            throw new IllegalStateException("connection closed");
        };
        assertThatThrownBy(() -> renderer.render(1, m, FetchPlan.of(List.of(body("")), false, false), false, false, closed))
                .isInstanceOf(IllegalStateException.class).hasMessage("connection closed");
    }
}
