package mail.smtp.handoff;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A message being received: written to a local file as it arrives (never whole in heap) and hashed on the way, so
 * that its content address is known the moment the last byte is in. Deleted when the transaction ends either way.
 */
public final class Spool implements AutoCloseable {
    private final Path file;
    private final MessageDigest digest;
    private final CountingOutputStream out;
    private boolean finished;
    private String sha256;

    private Spool(Path file) throws IOException {
        this.file = file;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.out = new CountingOutputStream(new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024), digest));
    }

    public static Spool create(Path dir) throws IOException {
        Files.createDirectories(dir);
        return new Spool(Files.createTempFile(dir, "smtp-", ".eml"));
    }

    public OutputStream output() {
        return out;
    }

    /** Closes the file and returns its hash; the file stays until {@link #close()}. */
    public String finish() throws IOException {
        if (sha256 == null) {
            out.close();
            finished = true;
            sha256 = HexFormat.of().formatHex(digest.digest());
        }
        return sha256;
    }

    public long size() {
        return out.count;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            if (!finished) {
                out.close();
                finished = true;
            }
        } catch (IOException ignored) {
            // the file is removed anyway
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover spool file is removed with the spool directory's cleanup
        }
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
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
