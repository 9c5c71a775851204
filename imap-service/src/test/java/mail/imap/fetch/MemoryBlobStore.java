package mail.imap.fetch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import mail.core.blob.BlobStore;
import mail.core.blob.BlobStoreException;
import mail.core.event.MessageRef;

/** Our own BlobStore interface over a map, recording every read and able to fail the way S3 does. */
public final class MemoryBlobStore implements BlobStore {
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    /** Every read as [offset, length]; a whole-object get is recorded as [0, -1]. */
    public final List<long[]> reads = new ArrayList<>();
    /** When set, every read fails like an unreachable store. */
    public volatile boolean down;
    /** When >= 0, the n-th read (0-based) returns a stream that fails after this many octets. */
    public volatile long breakAfter = -1;
    public volatile int breakRead = -1;
    /** Streams handed out and not closed yet. */
    public final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public MessageRef put(InputStream content) {
        try {
            byte[] b = content.readAllBytes();
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
            MessageRef ref = MessageRef.of(sha, b.length);
            objects.put(ref.blobKey(), b);
            return ref;
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public MessageRef put(byte[] b) {
        return put(new ByteArrayInputStream(b));
    }

    /** Replaces the stored octets, e.g. with a truncated copy, keeping the reference. */
    public void replace(MessageRef ref, byte[] b) {
        objects.put(ref.blobKey(), b);
    }

    @Override
    public MessageRef putSpooled(Path file, String sha256, long size) {
        throw new UnsupportedOperationException("not used by IMAP FETCH");
    }

    @Override
    public InputStream get(MessageRef ref) {
        return getRange(ref, 0, -1);
    }

    @Override
    public synchronized InputStream getRange(MessageRef ref, long offset, long length) {
        int n = reads.size();
        reads.add(new long[] {offset, length});
        if (down) {
            throw new BlobStoreException("object store unreachable", true, null);
        }
        byte[] b = objects.get(ref.blobKey());
        if (b == null) {
            throw new BlobStoreException("no such object " + ref.blobKey(), false, null);
        }
        int from = (int) Math.min(offset, b.length);
        int to = length < 0 ? b.length : (int) Math.min(b.length, offset + length);
        InputStream in = new ByteArrayInputStream(b, from, to - from);
        InputStream stream = n == breakRead && breakAfter >= 0 ? new Breaking(in, breakAfter) : in;
        open.incrementAndGet();
        return new java.io.FilterInputStream(stream) {
            private boolean closed;

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    open.decrementAndGet();
                }
                super.close();
            }
        };
    }

    @Override
    public Optional<BlobStat> stat(String key) {
        byte[] b = objects.get(key);
        return b == null ? Optional.empty() : Optional.of(new BlobStat(key, b.length));
    }

    @Override
    public boolean exists(MessageRef ref) {
        return objects.containsKey(ref.blobKey());
    }

    @Override
    public void delete(MessageRef ref) {
        objects.remove(ref.blobKey());
    }

    private static final class Breaking extends InputStream {
        private final InputStream in;
        private long left;

        Breaking(InputStream in, long left) {
            this.in = in;
            this.left = left;
        }

        @Override
        public int read() throws IOException {
            if (left-- <= 0) {
                throw new IOException("connection reset by object store");
            }
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                throw new IOException("connection reset by object store");
            }
            int r = in.read(b, off, (int) Math.min(len, left));
            if (r > 0) {
                left -= r;
            }
            return r;
        }
    }
}
