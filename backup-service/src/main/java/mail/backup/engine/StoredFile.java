package mail.backup.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import mail.backup.archive.ContentFile;

/**
 * A gzip file being written to a local spool file, hashing the compressed bytes as they go, so the manifest's
 * checksum is of exactly what the target stores and the target can be any dumb blob store.
 */
final class StoredFile implements AutoCloseable {
    private final Path path;
    private final MessageDigest digest;
    private final CountingStream counter;
    private final GZIPOutputStream gzip;
    private long items;
    private long raw;

    StoredFile(Path spoolDir) throws IOException {
        this.path = Files.createTempFile(spoolDir, "backup-", ".gz");
        this.digest = Digests.sha256();
        this.counter = new CountingStream(new DigestOutputStream(Files.newOutputStream(path), digest));
        this.gzip = new GZIPOutputStream(counter, 64 * 1024);
    }

    OutputStream stream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                gzip.write(b);
                raw++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                gzip.write(b, off, len);
                raw += len;
            }
        };
    }

    void line(String text) throws IOException {
        byte[] b = (text + "\n").getBytes(StandardCharsets.UTF_8);
        gzip.write(b);
        raw += b.length;
        items++;
    }

    void items(long n) {
        items = n;
    }

    long rawBytes() {
        return raw;
    }

    Path path() {
        return path;
    }

    /** Finishes the gzip stream and describes the file under its archive name. */
    ContentFile finish(String name, String kind) throws IOException {
        gzip.close();
        return new ContentFile(name, kind, HexFormat.of().formatHex(digest.digest()), counter.count, items);
    }

    @Override
    public void close() throws IOException {
        try {
            gzip.close();
        } finally {
            Files.deleteIfExists(path);
        }
    }

    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
