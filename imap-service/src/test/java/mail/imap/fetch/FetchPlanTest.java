package mail.imap.fetch;

import static mail.imap.fetch.FetchRendererTest.body;
import static mail.imap.fetch.FetchRendererTest.section;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import mail.imap.protocol.ImapCommand.FetchItem;
import mail.imap.protocol.ImapCommand.Section;
import mail.imap.protocol.ImapCommand.Simple;
import org.junit.jupiter.api.Test;

class FetchPlanTest {

    private static FetchPlan plan(FetchItem... items) {
        return FetchPlan.of(List.of(items), false, false);
    }

    @Test
    void implicitSeenExactlyWhereRfc9051SaysSo() {
        assertThat(plan(body("")).setsSeen()).isTrue();
        assertThat(plan(body("1.2.MIME")).setsSeen()).isTrue();
        assertThat(plan(body("HEADER.FIELDS (SUBJECT)")).setsSeen()).isTrue();
        assertThat(plan(section(Section.Kind.BINARY, false, "1", null)).setsSeen()).isTrue();
        assertThat(plan(new Simple("RFC822")).setsSeen()).isTrue();
        assertThat(plan(new Simple("RFC822.TEXT")).setsSeen()).isTrue();
        assertThat(plan(section(Section.Kind.BODY, true, "", null)).setsSeen()).isFalse();
        assertThat(plan(section(Section.Kind.BINARY, true, "1", null)).setsSeen()).isFalse();
        assertThat(plan(section(Section.Kind.BINARY_SIZE, true, "1", null)).setsSeen()).isFalse();
        assertThat(plan(new Simple("RFC822.HEADER"), new Simple("BODY"), new Simple("BODYSTRUCTURE"),
                new Simple("ENVELOPE"), new Simple("FLAGS"), new Simple("RFC822.SIZE")).setsSeen()).isFalse();
    }

    @Test
    void onlyBodyItemsReadTheObjectStore() {
        assertThat(plan(new Simple("FLAGS"), new Simple("ENVELOPE"), new Simple("BODYSTRUCTURE"), new Simple("UID"),
                new Simple("INTERNALDATE"), new Simple("RFC822.SIZE"), new Simple("MODSEQ")).readsBlob()).isFalse();
        assertThat(plan(new Simple("RFC822.HEADER")).readsBlob()).isTrue();
        assertThat(plan(section(Section.Kind.BINARY_SIZE, true, "1", null)).readsBlob()).isTrue();
    }

    @Test
    void projectsOnlyWhatTheItemsNeed() {
        assertThat(plan(new Simple("FLAGS")).fields()).containsExactly("uid", "flags", "keywords");
        assertThat(plan(new Simple("ENVELOPE"), new Simple("RFC822.SIZE")).fields())
                .containsExactly("uid", "metadata.env", "size");
        assertThat(plan(new Simple("BODYSTRUCTURE")).fields()).containsExactly("uid", "metadata.body");
        assertThat(plan(section(Section.Kind.BODY, true, "HEADER.FIELDS (SUBJECT)", null)).fields())
                .containsExactlyInAnyOrder("uid", "size", "metadata.body", "metadata.hdrLen", "metadata.rawHdr",
                        "blobKey", "sha256");
        assertThat(plan(body("1")).fields()).as("flags too, because \\Seen may change")
                .containsExactlyInAnyOrder("uid", "size", "metadata.body", "metadata.hdrLen", "blobKey", "sha256",
                        "flags", "keywords");
        assertThat(plan(new Simple("FLAGS")).projection().toBsonDocument().toJson())
                .isEqualTo("{\"uid\": 1, \"flags\": 1, \"keywords\": 1, \"_id\": 0}");
    }

    @Test
    void uidAndModSeqAreAddedOnce() {
        assertThat(FetchPlan.of(List.of(new Simple("FLAGS")), true, true).items())
                .containsExactly(new Simple("UID"), new Simple("FLAGS"), new Simple("MODSEQ"));
        assertThat(FetchPlan.of(List.of(new Simple("MODSEQ"), new Simple("UID")), true, true).items())
                .containsExactly(new Simple("MODSEQ"), new Simple("UID"));
        assertThat(FetchPlan.of(List.of(new Simple("UID"), new Simple("MODSEQ")), true, false).fields())
                .containsExactly("uid", "modSeq");
    }
}
