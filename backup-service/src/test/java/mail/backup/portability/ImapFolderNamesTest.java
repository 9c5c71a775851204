package mail.backup.portability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImapFolderNamesTest {
    @Test
    void hierarchyIsKeptWithOurDelimiterWhateverTheServerSeparator() {
        ImapFolderNames names = new ImapFolderNames("");
        assertThat(names.local("Projects.2024.Q1", '.', List.of())).contains("Projects/2024/Q1");
        assertThat(names.local("Projects/2024", '/', List.of())).contains("Projects/2024");
        // our delimiter inside a level of a dot-separated server must not split it
        assertThat(names.local("a/b.c", '.', List.of())).contains("a_b/c");
        assertThat(names.local("inbox", '.', List.of())).contains("INBOX");
    }

    @Test
    void thePersonalNamespacePrefixIsDropped() {
        ImapFolderNames names = new ImapFolderNames("INBOX.");
        assertThat(names.local("INBOX", '.', List.of())).contains("INBOX");
        assertThat(names.local("INBOX.Lists.java", '.', List.of())).contains("Lists/java");
        assertThat(names.local("INBOX.Sent", '.', List.of())).contains("Sent");
        assertThat(names.local("Shared.Team", '.', List.of())).contains("Shared/Team");
    }

    @Test
    void specialUseByAttributeThenByNameAndOnlyOncePerUse() {
        ImapFolderNames names = new ImapFolderNames("");
        assertThat(names.local("[Gmail]/Sent Mail", '/', List.of("\\HasNoChildren", "\\Sent"))).contains("Sent");
        // a second folder of the same use keeps its own name instead of merging into Sent
        assertThat(names.local("Sent Items", '/', List.of())).contains("Sent Items");
        assertThat(names.local("Deleted Items", '/', List.of())).contains("Trash");
        assertThat(names.local("Spam", '/', List.of())).contains("Junk");
        assertThat(names.local("Junk E-mail", '/', List.of())).contains("Junk E-mail");
        assertThat(names.local("Entwürfe", '/', List.of("\\Drafts"))).contains("Drafts");
        assertThat(names.local("Archives", '/', List.of())).contains("Archive");
        // only a top-level name says what a folder is for
        assertThat(names.local("Clients/Trash", '/', List.of())).contains("Clients/Trash");
    }

    @Test
    void virtualFoldersAreRecognised() {
        assertThat(ImapFolderNames.virtual(List.of("\\HasNoChildren", "\\All"))).isTrue();
        assertThat(ImapFolderNames.virtual(List.of("\\Flagged"))).isTrue();
        assertThat(ImapFolderNames.virtual(List.of("\\Sent"))).isFalse();
    }
}
