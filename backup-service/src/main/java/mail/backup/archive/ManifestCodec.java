package mail.backup.archive;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/** Manifest JSON. Reads the format version first, so a manifest of a newer layout is refused before anything else. */
public final class ManifestCodec {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            // a field added by a later minor change must not make an older reader refuse a backup it can restore
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ManifestCodec() {
    }

    public static byte[] encode(Manifest m) {
        try {
            return JSON.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode manifest " + m.id(), e);
        }
    }

    /** @param expectedId the id the manifest was found under; a manifest claiming another id is refused */
    public static Manifest decode(byte[] bytes, String expectedId) {
        JsonNode tree;
        try {
            tree = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new BackupFormatException("manifest of backup " + expectedId + " is not valid JSON: " + e.getMessage());
        }
        if (tree == null || !tree.isObject() || !tree.path("formatVersion").isInt()) {
            throw new BackupFormatException("manifest of backup " + expectedId + " has no formatVersion");
        }
        int version = tree.get("formatVersion").asInt();
        if (version > Manifest.FORMAT_VERSION) {
            throw new BackupFormatException("manifest of backup " + expectedId + " has format version " + version
                    + ", newer than this backup-service understands (" + Manifest.FORMAT_VERSION + "); use a newer release");
        }
        if (version < 1) {
            throw new BackupFormatException("manifest of backup " + expectedId + " has an invalid format version " + version);
        }
        Manifest m;
        try {
            m = JSON.treeToValue(tree, Manifest.class);
        } catch (IOException e) {
            throw new BackupFormatException("manifest of backup " + expectedId + " is malformed: " + e.getMessage());
        }
        if (!expectedId.equals(m.id())) {
            throw new BackupFormatException("manifest under " + expectedId + " claims id '" + ArchiveNames.printable(m.id()) + "'");
        }
        if (m.parentId() != null) {
            ArchiveNames.backupId(m.parentId());
        }
        for (String c : m.collections()) {
            if (!ArchiveNames.isCollection(c)) {
                throw new BackupFormatException("manifest of backup " + expectedId + " names an invalid collection '"
                        + ArchiveNames.printable(c) + "'");
            }
        }
        for (ContentFile f : m.files()) {
            ArchiveNames.content(f.name());
            if (f.sha256() == null || !f.sha256().matches("[0-9a-f]{64}") || f.size() < 0) {
                throw new BackupFormatException("manifest of backup " + expectedId + " lists " + f.name() + " without a valid checksum");
            }
        }
        return m;
    }
}
