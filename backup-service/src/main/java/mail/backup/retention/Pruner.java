package mail.backup.retention;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import mail.backup.archive.ArchiveNames;
import mail.backup.archive.ContentFile;
import mail.backup.archive.Manifest;
import mail.backup.engine.Chain;
import mail.backup.engine.Progress;
import mail.backup.engine.Snapshot;
import mail.backup.location.BackupTarget;
import org.jboss.logging.Logger;

/**
 * Applies the retention policy to a target. Backups are deleted newest first, each manifest before its files, so an
 * interrupted prune leaves only whole backups whose parents are all there (a backup without its manifest is an
 * unfinished one to every reader). A blob file goes only when no kept backup refers to it: blobs are shared by every
 * backup of the target, and each backup's blob list names every blob its state needs.
 */
public final class Pruner {
    private static final Logger LOG = Logger.getLogger(Pruner.class);

    public PruneResult prune(BackupTarget target, int daily, int weekly, boolean dryRun, Progress progress) throws IOException {
        progress.phase("reading manifests", -1);
        List<Manifest> manifests = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (String id : target.backupIds()) {
            try {
                manifests.add(Chain.manifest(target, id));
            } catch (RuntimeException e) {
                unreadable.add(id + ": " + e.getMessage());
            }
        }
        List<Retention.Backup> backups = manifests.stream().map(m -> new Retention.Backup(m.id(), m.parentId(), m.createdAt())).toList();
        Set<String> keep = Retention.keep(backups, daily, weekly);
        List<Manifest> doomed = manifests.stream().filter(m -> !keep.contains(m.id()))
                .sorted(Comparator.comparing(Manifest::id).reversed()).toList();
        List<String> kept = manifests.stream().map(Manifest::id).filter(keep::contains).toList();
        List<String> deleted = doomed.stream().map(Manifest::id).toList();
        if (dryRun || doomed.isEmpty()) {
            return new PruneResult(dryRun, daily, weekly, kept, deleted, 0, 0, unreadable);
        }
        progress.phase("reading the blob lists of the kept backups", kept.size());
        Set<String> needed = new HashSet<>();
        int n = 0;
        for (String id : kept) {
            needed.addAll(new Snapshot(target, Chain.load(target, id)).blobRefs().keySet());
            progress.advance(++n);
        }
        progress.phase("deleting", doomed.size());
        long blobs = 0;
        long files = 0;
        n = 0;
        for (Manifest m : doomed) {
            target.delete(ArchiveNames.manifest(m.id()));
            files++;
            for (ContentFile f : m.files()) {
                String digest = ArchiveNames.blobDigest(f.name());
                if (digest == null) {
                    target.delete(f.name());
                    files++;
                } else if (unreadable.isEmpty() && !needed.contains(digest)) {
                    // with an unreadable manifest around, nobody knows which blobs that backup needs: blobs stay
                    target.delete(f.name());
                    blobs++;
                }
            }
            LOG.infof("pruned backup %s (%s) from %s", m.id(), m.kind(), target.describe());
            progress.advance(++n);
        }
        return new PruneResult(false, daily, weekly, kept, deleted, blobs, files, unreadable);
    }
}
