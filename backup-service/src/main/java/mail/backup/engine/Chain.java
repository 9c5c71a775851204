package mail.backup.engine;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import mail.backup.archive.ArchiveNames;
import mail.backup.archive.BackupFormatException;
import mail.backup.archive.ContentFile;
import mail.backup.archive.Manifest;
import mail.backup.archive.ManifestCodec;
import mail.backup.location.BackupTarget;

/** A backup and its ancestors back to the full backup it builds on, newest first. */
public record Chain(List<Manifest> manifests) {
    /** Deeper than any sane schedule; a longer chain means a cycle or a forged manifest. */
    static final int MAX_DEPTH = 10_000;

    public Manifest top() {
        return manifests.get(0);
    }

    public static Chain load(BackupTarget target, String id) {
        List<Manifest> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String next = ArchiveNames.backupId(id);
        while (next != null) {
            if (!seen.add(next) || out.size() >= MAX_DEPTH) {
                throw new BackupFormatException("the chain of backup " + id + " loops at " + next);
            }
            Manifest m = manifest(target, next);
            if (!out.isEmpty() && !m.createdAt().isBefore(out.get(out.size() - 1).createdAt())
                    && !m.createdAt().equals(out.get(out.size() - 1).createdAt())) {
                throw new BackupFormatException("backup " + next + " is newer than its child " + out.get(out.size() - 1).id());
            }
            out.add(m);
            next = m.parentId();
        }
        return new Chain(List.copyOf(out));
    }

    public static Manifest manifest(BackupTarget target, String id) {
        String name = ArchiveNames.manifest(id);
        try (InputStream in = target.open(name)) {
            return ManifestCodec.decode(in.readNBytes(4 * 1024 * 1024 + 1), id);
        } catch (FileNotFoundException e) {
            throw new BackupFormatException("backup " + id + " does not exist (no " + name + " in " + target.describe() + ")");
        } catch (IOException e) {
            throw new BackupFormatException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    public Set<String> blobDigests() {
        Set<String> out = new HashSet<>();
        for (Manifest m : manifests) {
            for (ContentFile f : m.files()) {
                String d = ArchiveNames.blobDigest(f.name());
                if (d != null) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    /** The file of a name written by the newest backup of the chain that wrote it. */
    public Optional<ContentFile> file(String name) {
        for (Manifest m : manifests) {
            for (ContentFile f : m.files()) {
                if (f.name().equals(name)) {
                    return Optional.of(f);
                }
            }
        }
        return Optional.empty();
    }
}
