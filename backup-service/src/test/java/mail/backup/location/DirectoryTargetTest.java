package mail.backup.location;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import mail.backup.archive.BackupFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryTargetTest {
    @TempDir
    Path dir;

    @Test
    void writesAtomicallyAndListsOnlyBackupsWithAManifest() throws Exception {
        Path root = dir.resolve("backups");
        DirectoryTarget t = new DirectoryTarget(root);
        Path f = Files.writeString(dir.resolve("f"), "hello");
        t.write("20261129T120000Z-0a1b2c3d/manifest.json", f);
        t.write("20261129T130000Z-0a1b2c3d/keycloak/realm.json.gz", f);
        Files.createDirectories(root.resolve("not-a-backup"));
        assertThat(t.backupIds()).containsExactly("20261129T120000Z-0a1b2c3d");
        try (InputStream in = t.open("20261129T120000Z-0a1b2c3d/manifest.json")) {
            assertThat(new String(in.readAllBytes())).isEqualTo("hello");
        }
        try (var files = Files.walk(root)) {
            assertThat(files.filter(p -> p.toString().endsWith(".part"))).isEmpty();
        }
        assertThatThrownBy(() -> t.open("20261129T120000Z-0a1b2c3d/nothing")).isInstanceOf(FileNotFoundException.class);
    }

    @Test
    void namesThatLeaveTheDirectoryAreRefusedAndNothingIsWrittenOutside() throws Exception {
        DirectoryTarget t = new DirectoryTarget(dir.resolve("backups"));
        Path f = Files.writeString(dir.resolve("f"), "x");
        assertThatThrownBy(() -> t.write("../escaped", f)).isInstanceOf(BackupFormatException.class).hasMessageContaining("leaves");
        assertThatThrownBy(() -> t.open("../../etc/passwd")).isInstanceOf(BackupFormatException.class);
        assertThatThrownBy(() -> t.exists("a/../../escaped")).isInstanceOf(BackupFormatException.class);
        assertThat(dir.resolve("escaped")).doesNotExist();
    }
}
