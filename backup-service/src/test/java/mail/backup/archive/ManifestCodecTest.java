package mail.backup.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestCodecTest {
    private static final String ID = "20261129T120000Z-0a1b2c3d";
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static Manifest manifest(List<ContentFile> files) {
        return new Manifest(Manifest.FORMAT_VERSION, ID, null, Manifest.FULL, Instant.parse("2026-11-29T12:00:00Z"),
                Instant.parse("2026-11-29T12:00:05Z"), Map.of("mail.received", Map.of("0", 42L)), List.of("messages"), files,
                new Manifest.Stats(1, 1, 1, 1, 1, 100, 200, 5));
    }

    @Test
    void roundTripsEveryField() {
        Manifest m = manifest(List.of(new ContentFile(ID + "/mongo/messages.ndjson.gz", ContentFile.COLLECTION, SHA, 10, 1),
                new ContentFile("blobs/" + SHA + ".gz", ContentFile.BLOB, SHA, 20, 1)));
        Manifest back = ManifestCodec.decode(ManifestCodec.encode(m), ID);
        assertThat(back).isEqualTo(m);
        assertThat(new String(ManifestCodec.encode(m), StandardCharsets.UTF_8)).contains("\"formatVersion\" : 1", "\"kafkaOffsets\"");
    }

    @Test
    void aManifestOfANewerFormatIsRefusedByVersion() {
        String json = new String(ManifestCodec.encode(manifest(List.of())), StandardCharsets.UTF_8)
                .replace("\"formatVersion\" : 1", "\"formatVersion\" : 2");
        assertThatThrownBy(() -> ManifestCodec.decode(json.getBytes(StandardCharsets.UTF_8), ID))
                .isInstanceOf(BackupFormatException.class).hasMessageContaining("format version 2")
                .hasMessageContaining("newer than this backup-service understands (1)");
    }

    @Test
    void pathTraversalInAFileNameIsRefused() {
        for (String evil : List.of("../../etc/passwd", ID + "/../../x", "/etc/passwd", "blobs/../" + ID + "/manifest.json",
                ID + "/mongo/../../../etc.ndjson.gz", "blobs/" + SHA.substring(1) + "x.gz", ID + "/mongo/a\\..ndjson.gz")) {
            String json = new String(ManifestCodec.encode(manifest(List.of(new ContentFile(ID + "/mongo/messages.ndjson.gz",
                    ContentFile.COLLECTION, SHA, 10, 1)))), StandardCharsets.UTF_8)
                    .replace(ID + "/mongo/messages.ndjson.gz", evil.replace("\\", "\\\\"));
            assertThatThrownBy(() -> ManifestCodec.decode(json.getBytes(StandardCharsets.UTF_8), ID)).as(evil)
                    .isInstanceOf(BackupFormatException.class).hasMessageContaining("refused archive name");
        }
    }

    @Test
    void aCollectionNameThatCouldEscapeIsRefused() {
        String json = new String(ManifestCodec.encode(manifest(List.of())), StandardCharsets.UTF_8)
                .replace("\"messages\"", "\"../x\"");
        assertThatThrownBy(() -> ManifestCodec.decode(json.getBytes(StandardCharsets.UTF_8), ID))
                .isInstanceOf(BackupFormatException.class).hasMessageContaining("invalid collection");
    }

    @Test
    void garbageAMissingVersionAndAForeignIdAreClearErrors() {
        assertThatThrownBy(() -> ManifestCodec.decode("{not json".getBytes(StandardCharsets.UTF_8), ID))
                .isInstanceOf(BackupFormatException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> ManifestCodec.decode("{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8), ID))
                .isInstanceOf(BackupFormatException.class).hasMessageContaining("no formatVersion");
        byte[] other = ManifestCodec.encode(manifest(List.of()));
        assertThatThrownBy(() -> ManifestCodec.decode(other, "20261129T120000Z-ffffffff"))
                .isInstanceOf(BackupFormatException.class).hasMessageContaining("claims id");
        String badSum = new String(ManifestCodec.encode(manifest(List.of(new ContentFile(ID + "/mongo/messages.ndjson.gz",
                ContentFile.COLLECTION, "nothex", 10, 1)))), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ManifestCodec.decode(badSum.getBytes(StandardCharsets.UTF_8), ID))
                .isInstanceOf(BackupFormatException.class).hasMessageContaining("without a valid checksum");
    }
}
