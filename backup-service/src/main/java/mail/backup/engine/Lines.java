package mail.backup.engine;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import mail.backup.archive.BackupFormatException;
import mail.backup.archive.ContentFile;
import mail.backup.location.BackupTarget;

/** Reads a gzip NDJSON file of a backup line by line, checking its checksum and size as it goes. */
final class Lines {
    /** A document line longer than this is not one we wrote (MongoDB's own limit is 16 MB of BSON). */
    static final int MAX_LINE = 64 * 1024 * 1024;

    interface LineConsumer {
        void accept(String line) throws IOException;
    }

    private Lines() {
    }

    static void read(BackupTarget target, ContentFile file, LineConsumer consumer) {
        MessageDigest digest = Digests.sha256();
        long[] count = new long[1];
        try (InputStream raw = target.open(file.name());
             InputStream counted = new CountingInput(new DigestInputStream(raw, digest), count);
             BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(counted, 64 * 1024), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.length() > MAX_LINE) {
                    throw new BackupFormatException(file.name() + " has a line longer than " + MAX_LINE + " characters");
                }
                if (!line.isEmpty()) {
                    consumer.accept(line);
                }
            }
            counted.transferTo(OutputStreamSink.INSTANCE);
        } catch (FileNotFoundException e) {
            throw new BackupFormatException(file.name() + " is missing from the backup");
        } catch (EOFException | ZipException e) {
            throw new BackupFormatException(file.name() + " is truncated or corrupt (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new BackupFormatException("cannot read " + file.name() + ": " + e.getMessage(), e);
        }
        check(file, HexFormat.of().formatHex(digest.digest()), count[0]);
    }

    static void check(ContentFile file, String sha256, long size) {
        if (size != file.size()) {
            throw new BackupFormatException((size < file.size() ? "truncated file " : "size mismatch in ") + file.name()
                    + ": " + size + " bytes, the manifest says " + file.size());
        }
        if (!sha256.equals(file.sha256())) {
            throw new BackupFormatException("checksum mismatch in " + file.name() + ": SHA-256 " + sha256
                    + ", the manifest says " + file.sha256());
        }
    }

    static final class CountingInput extends java.io.FilterInputStream {
        private final long[] count;

        CountingInput(InputStream in, long[] count) {
            super(in);
            this.count = count;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count[0]++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count[0] += n;
            }
            return n;
        }
    }

    static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
