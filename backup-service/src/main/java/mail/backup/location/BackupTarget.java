package mail.backup.location;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Where backups are kept: a directory or an S3 bucket. Names are relative and already checked by
 * {@link mail.backup.archive.ArchiveNames}; implementations still refuse anything that would leave their root.
 */
public interface BackupTarget {

    /** Stores the file under the name, replacing any earlier one; the name is visible only once complete. */
    void write(String name, Path file) throws IOException;

    /** @throws java.io.FileNotFoundException if there is no such file */
    InputStream open(String name) throws IOException;

    boolean exists(String name) throws IOException;

    /** The ids of all backups (directories holding a manifest), in name order, which is time order. */
    List<String> backupIds() throws IOException;

    /** Removes the file; nothing happens if there is none. */
    void delete(String name) throws IOException;

    /** A short description for logs and the API, without secrets. */
    String describe();
}
