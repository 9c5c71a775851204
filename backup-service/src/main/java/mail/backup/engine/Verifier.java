package mail.backup.engine;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import mail.backup.archive.ArchiveNames;
import mail.backup.archive.BackupFormatException;
import mail.backup.archive.ContentFile;
import mail.backup.archive.Manifest;
import mail.backup.location.BackupTarget;

/**
 * Checks a backup without restoring it: every file of its chain against the manifest (size and SHA-256), every blob
 * additionally against its own name after decompression, every blob the state refers to present, and every document
 * the indexes list findable. Problems are collected, each naming the file, so one run shows all damage.
 */
public final class Verifier {

    public record Report(String backupId, boolean ok, List<String> problems, long filesChecked, long blobsChecked, long bytesRead) {
    }

    public Report verify(BackupTarget target, String id, Progress progress) {
        List<String> problems = new ArrayList<>();
        Chain chain;
        try {
            chain = Chain.load(target, id);
        } catch (BackupFormatException e) {
            return new Report(id, false, List.of(e.getMessage()), 0, 0, 0);
        }
        long files = 0;
        long blobs = 0;
        long bytes = 0;
        Set<String> goodBlobs = new HashSet<>();
        int total = chain.manifests().stream().mapToInt(m -> m.files().size()).sum();
        progress.phase("checksums", total);
        for (Manifest m : chain.manifests()) {
            for (ContentFile f : m.files()) {
                files++;
                bytes += f.size();
                String digest = ArchiveNames.blobDigest(f.name());
                try {
                    if (digest != null) {
                        checkBlob(target, f.name(), digest, f);
                        goodBlobs.add(digest);
                        blobs++;
                    } else {
                        Lines.read(target, f, line -> { });
                    }
                } catch (BackupFormatException e) {
                    problems.add(e.getMessage());
                }
                progress.advance(files);
            }
        }
        Snapshot snapshot = new Snapshot(target, chain);
        Map<String, Long> refs;
        try {
            refs = snapshot.blobRefs();
        } catch (BackupFormatException e) {
            problems.add(e.getMessage());
            refs = Map.of();
        }
        progress.phase("referenced blobs", refs.size());
        long done = 0;
        for (String digest : refs.keySet()) {
            if (!goodBlobs.contains(digest)) {
                String name = ArchiveNames.blobFile(digest);
                try {
                    // written by another chain of the same target (blobs are shared by content address)
                    checkBlob(target, name, digest, null);
                    goodBlobs.add(digest);
                    blobs++;
                } catch (BackupFormatException e) {
                    problems.add(e.getMessage());
                }
            }
            progress.advance(++done);
        }
        if (problems.isEmpty()) {
            for (String c : chain.top().collections()) {
                try {
                    snapshot.documents(c, d -> false, d -> { });
                } catch (BackupFormatException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        return new Report(id, problems.isEmpty(), List.copyOf(problems), files, blobs, bytes);
    }

    /** @param listed the manifest's entry, or null when only the content address can be checked */
    static void checkBlob(BackupTarget target, String name, String digest, ContentFile listed) {
        MessageDigest stored = Digests.sha256();
        MessageDigest content = Digests.sha256();
        long[] count = new long[1];
        try (InputStream raw = target.open(name);
             InputStream counted = new Lines.CountingInput(new DigestInputStream(raw, stored), count);
             InputStream unzipped = new DigestInputStream(new GZIPInputStream(counted, 64 * 1024), content)) {
            unzipped.transferTo(Lines.OutputStreamSink.INSTANCE);
            counted.transferTo(Lines.OutputStreamSink.INSTANCE);
        } catch (FileNotFoundException e) {
            throw new BackupFormatException("missing blob " + digest + " (" + name + ")");
        } catch (EOFException | ZipException e) {
            throw new BackupFormatException(name + " is truncated or corrupt (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new BackupFormatException("cannot read " + name + ": " + e.getMessage(), e);
        }
        if (listed != null) {
            Lines.check(listed, HexFormat.of().formatHex(stored.digest()), count[0]);
        }
        String actual = HexFormat.of().formatHex(content.digest());
        if (!actual.equals(digest)) {
            throw new BackupFormatException("checksum mismatch in " + name + ": its content hashes to " + actual);
        }
    }
}
