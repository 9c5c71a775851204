package mail.backup.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import mail.backup.archive.ArchiveNames;
import mail.backup.archive.BackupFormatException;
import mail.backup.archive.ContentFile;
import mail.backup.archive.Manifest;
import mail.backup.restore.RestoreRefusedException;
import mail.backup.restore.RestoreRequest;
import mail.backup.restore.Restorer;
import mail.backup.location.DirectoryTarget;
import mail.store.Mailbox;
import mail.store.StoreSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backup damaged after it was written: verify names the file, and a restore refuses and writes nothing. */
class DamagedBackupTest {
    private static Fixture source;
    private static Manifest manifest;
    @TempDir
    static Path original;
    @TempDir
    Path copy;

    @BeforeAll
    static void backup() throws Exception {
        source = new Fixture();
        Mailbox inbox = source.inbox("acc-" + UUID.randomUUID());
        for (int i = 0; i < 3; i++) {
            source.deliver(inbox, Fixture.message("a@x.test", "b@x.test", "m" + i, "body " + i + " " + "x".repeat(2000)), List.of(),
                    Instant.now());
        }
        manifest = new BackupRunner(source.db, source.blobs, null, null, Path.of(System.getProperty("java.io.tmpdir"), "bk-test"),
                Clock.systemUTC()).run(new DirectoryTarget(original), BackupRunner.newId(Instant.now()), false, Progress.NONE);
    }

    @AfterAll
    static void close() {
        source.close();
    }

    private DirectoryTarget damaged() throws IOException {
        try (Stream<Path> files = Files.walk(original)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path to = copy.resolve(original.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return new DirectoryTarget(copy);
    }

    private String blobName() {
        return manifest.files().stream().filter(f -> f.kind().equals(ContentFile.BLOB)).findFirst().orElseThrow().name();
    }

    private List<String> problems(DirectoryTarget t) {
        return new Verifier().verify(t, manifest.id(), Progress.NONE).problems();
    }

    /** The restore is refused before anything is written: the empty platform stays empty, its bucket too. */
    private void restoreRefused(DirectoryTarget t, String expected) {
        try (Fixture empty = new Fixture()) {
            assertThatThrownBy(() -> new Restorer(empty.db, empty.blobs, null, Clock.systemUTC()).restore(t,
                    new RestoreRequest(manifest.id(), RestoreRequest.Scope.FULL, null, null, false), Progress.NONE))
                    .isInstanceOfAny(RestoreRefusedException.class, BackupFormatException.class).hasMessageContaining(expected);
            assertThat(empty.all(StoreSchema.MESSAGES)).isEmpty();
            assertThat(empty.all(StoreSchema.MAILBOXES)).isEmpty();
            for (String digest : source.all(StoreSchema.MESSAGES).stream().map(d -> d.getString("sha256")).toList()) {
                assertThat(empty.blobs.stat("sha256/" + digest)).isEmpty();
            }
        }
    }

    @Test
    void anIntactBackupVerifies() {
        assertThat(problems(new DirectoryTarget(original))).isEmpty();
    }

    @Test
    void aTamperedCollectionFileIsNamed() throws Exception {
        DirectoryTarget t = damaged();
        String name = ArchiveNames.collectionFile(manifest.id(), StoreSchema.MESSAGES);
        Path file = copy.resolve(name);
        byte[] b = Files.readAllBytes(file);
        b[b.length / 2] ^= 0x5a;
        Files.write(file, b);
        assertThat(problems(t)).anySatisfy(p -> assertThat(p).contains(name).containsAnyOf("checksum mismatch", "corrupt"));
        restoreRefused(t, name);
    }

    @Test
    void aTruncatedBlobIsNamed() throws Exception {
        DirectoryTarget t = damaged();
        Path file = copy.resolve(blobName());
        byte[] b = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(b, b.length / 2));
        assertThat(problems(t)).anySatisfy(p -> assertThat(p).contains(blobName()).containsAnyOf("truncated", "corrupt"));
        restoreRefused(t, blobName());
    }

    @Test
    void aMissingBlobIsNamed() throws Exception {
        DirectoryTarget t = damaged();
        Files.delete(copy.resolve(blobName()));
        String digest = ArchiveNames.blobDigest(blobName());
        assertThat(problems(t)).anySatisfy(p -> assertThat(p).contains("missing blob " + digest));
        restoreRefused(t, "missing blob " + digest);
    }

    @Test
    void aManifestOfANewerVersionIsRefused() throws Exception {
        DirectoryTarget t = damaged();
        Path file = copy.resolve(ArchiveNames.manifest(manifest.id()));
        Files.writeString(file, Files.readString(file).replace("\"formatVersion\" : 1", "\"formatVersion\" : 99"));
        assertThat(problems(t)).singleElement().asString().contains("format version 99", "newer");
        restoreRefused(t, "format version 99");
    }

    @Test
    void aManifestWithPathTraversalIsRefused() throws Exception {
        DirectoryTarget t = damaged();
        Path file = copy.resolve(ArchiveNames.manifest(manifest.id()));
        String evil = "../../../../tmp/evil-" + UUID.randomUUID();
        Files.writeString(file, Files.readString(file).replace(blobName(), evil), StandardCharsets.UTF_8);
        assertThat(problems(t)).singleElement().asString().contains("refused archive name", evil);
        restoreRefused(t, "refused archive name");
    }
}
