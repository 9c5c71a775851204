package mail.backup.portability;

import java.nio.file.Path;

/**
 * The one directory on the server that exports go to and imports come from. The API takes paths relative to it and
 * refuses anything that would leave it, so an admin token cannot be used to write or read arbitrary server files.
 */
public final class ExchangeDirectory {
    private final Path root;

    public ExchangeDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The path named by the admin, or an IllegalArgumentException saying why it is refused. */
    public Path resolve(String relative) {
        if (relative == null || relative.isBlank()) {
            throw new IllegalArgumentException("path is required (relative to the exchange directory)");
        }
        if (relative.startsWith("/") || relative.startsWith("\\") || relative.contains("\0") || relative.contains("\\")
                || relative.matches("^[A-Za-z]:.*")) {
            throw new IllegalArgumentException("path must be relative to the exchange directory: " + relative);
        }
        for (String level : relative.split("/")) {
            if (level.equals("..") || level.startsWith(".")) {
                throw new IllegalArgumentException("path must not contain '..' or hidden names: " + relative);
            }
        }
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new IllegalArgumentException("path leaves the exchange directory: " + relative);
        }
        return p;
    }
}
