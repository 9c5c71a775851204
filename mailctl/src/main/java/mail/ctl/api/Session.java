package mail.ctl.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Where the token of {@code mailctl login} is kept: $MAILCTL_CONFIG/token.json, else ~/.config/mailctl/token.json,
 * readable by the owner only.
 */
public final class Session {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public Session(Path dir) {
        this.file = dir.resolve("token.json");
    }

    public static Path defaultDir(Map<String, String> env) {
        String configured = env.get("MAILCTL_CONFIG");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".config", "mailctl");
    }

    public record Token(String accessToken, String refreshToken, long expiresAtMillis, String realmUrl) {
    }

    public void save(Token t) {
        ObjectNode n = JSON.createObjectNode();
        n.put("accessToken", t.accessToken());
        n.put("refreshToken", t.refreshToken());
        n.put("expiresAtMillis", t.expiresAtMillis());
        n.put("realmUrl", t.realmUrl());
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("token.json.tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not POSIX; the directory's permissions protect it
            }
            Files.write(tmp, JSON.writeValueAsBytes(n));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliException(CliException.API_ERROR, "cannot write " + file + ": " + e.getMessage());
        }
    }

    public Token load() {
        if (!Files.exists(file)) {
            throw new CliException(CliException.AUTH, "not logged in: run 'mailctl login' first");
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return new Token(n.path("accessToken").asText(), n.path("refreshToken").asText(null),
                    n.path("expiresAtMillis").asLong(), n.path("realmUrl").asText());
        } catch (IOException e) {
            throw new CliException(CliException.AUTH, file + " is unreadable (" + e.getMessage() + "); run 'mailctl login' again");
        }
    }

    public Path file() {
        return file;
    }
}
