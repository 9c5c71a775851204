package mail.devinfra;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** The endpoints and process ids of a running infrastructure, written atomically so readers never see half a file. */
public final class StateFile {
    private final Path file;
    private final Map<String, String> values = new TreeMap<>();

    public StateFile(Path file) {
        this.file = file;
    }

    public synchronized StateFile put(String key, Object value) {
        values.put(key, String.valueOf(value));
        return this;
    }

    public synchronized void write() {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Properties p = new Properties();
            p.putAll(values);
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "mailplatform local infrastructure");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StartupException("cannot write " + file + ": " + e.getMessage());
        }
    }

    public static Properties read(Path file) {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                // a torn or unreadable file is treated as absent
            }
        }
        return p;
    }
}
