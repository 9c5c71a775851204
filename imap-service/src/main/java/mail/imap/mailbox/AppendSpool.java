package mail.imap.mailbox;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import mail.imap.protocol.LiteralSink;

/** An APPEND message on its way in: a spool file and its SHA-256, so the object store gets it without a second read. */
public final class AppendSpool implements LiteralSink {
    private final Path file;
    private final OutputStream out;
    private final MessageDigest digest;
    private long size;
    private String sha256;

    public AppendSpool(Path dir) throws IOException {
        Files.createDirectories(dir);
        this.file = Files.createTempFile(dir, "append-", ".eml");
        this.out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        digest.update(b, off, len);
        size += len;
    }

    @Override
    public void finish() throws IOException {
        out.close();
        sha256 = HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public void abort() {
        try {
            out.close();
        } catch (IOException ignored) {
            // the file goes anyway
        }
        delete();
    }

    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover spool file is removed at the next start
        }
    }

    public Path file() {
        return file;
    }

    public long size() {
        return size;
    }

    /** Null until {@link #finish()}. */
    public String sha256() {
        return sha256;
    }
}
