package mail.backup.location;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import mail.backup.archive.ArchiveNames;
import mail.backup.archive.BackupFormatException;

/** Backups in a local (or mounted) directory. Files appear by an atomic rename, so a crash leaves no half file under a real name. */
public final class DirectoryTarget implements BackupTarget {
    private final Path root;

    public DirectoryTarget(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    private Path resolve(String name) {
        Path p = root.resolve(name).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new BackupFormatException("refused archive name '" + name + "': it leaves the backup directory");
        }
        return p;
    }

    @Override
    public void write(String name, Path file) throws IOException {
        Path target = resolve(name);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public InputStream open(String name) throws IOException {
        try {
            return Files.newInputStream(resolve(name));
        } catch (NoSuchFileException e) {
            throw new FileNotFoundException(name);
        }
    }

    @Override
    public boolean exists(String name) {
        return Files.isRegularFile(resolve(name));
    }

    @Override
    public List<String> backupIds() throws IOException {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return ids;
        }
        try (Stream<Path> s = Files.list(root)) {
            s.map(p -> p.getFileName().toString()).filter(ArchiveNames::isBackupId)
                    .filter(id -> Files.isRegularFile(root.resolve(id).resolve("manifest.json"))).sorted().forEach(ids::add);
        }
        return ids;
    }

    @Override
    public void delete(String name) throws IOException {
        Path p = resolve(name);
        Files.deleteIfExists(p);
        // the backup's directories go with their last file; the shared blobs/ directory stays while it holds any
        for (Path dir = p.getParent(); dir != null && dir.startsWith(root) && !dir.equals(root); dir = dir.getParent()) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    break;
                }
            } catch (NoSuchFileException e) {
                continue;
            }
            Files.deleteIfExists(dir);
        }
    }

    @Override
    public String describe() {
        return "directory " + root;
    }
}
