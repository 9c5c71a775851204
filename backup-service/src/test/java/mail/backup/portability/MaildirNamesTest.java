package mail.backup.portability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaildirNamesTest {

    @Test
    void flagsBecomeInfoLettersInAsciiOrderAndBack() {
        String info = MaildirNames.info(List.of("\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft"), List.of("$Forwarded", "work"));
        assertThat(info).isEqualTo("DFPRST");
        MaildirNames.Info back = MaildirNames.parse("1700000000.M1V2.host,S=10:2," + info);
        assertThat(back.flags()).containsExactlyInAnyOrder("\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft");
        assertThat(back.keywords()).containsExactly("$Forwarded");
        assertThat(back.unknown()).isEmpty();
        assertThat(MaildirNames.info(List.of(), List.of())).isEmpty();
    }

    @Test
    void otherKeywordsAreDovecotLettersNumberedPerFolder() {
        java.util.Map<String, Integer> numbering = new java.util.LinkedHashMap<>();
        assertThat(MaildirNames.info(List.of("\\Seen"), List.of("work", "$Forwarded"), numbering)).isEqualTo("PSa");
        assertThat(MaildirNames.info(List.of(), List.of("later", "work"), numbering)).isEqualTo("ab");
        String file = MaildirNames.keywordsFile(numbering);
        assertThat(file).isEqualTo("0 work\n1 later\n");
        java.util.Map<Integer, String> letters = MaildirNames.parseKeywordsFile(file + "junk line\n99 tooFar\n");
        assertThat(letters).containsOnly(java.util.Map.entry(0, "work"), java.util.Map.entry(1, "later"));
        MaildirNames.Info back = MaildirNames.parse("x:2,Sabc", letters);
        assertThat(back.keywords()).containsExactly("work", "later");
        assertThat(back.unknown()).isEqualTo("c");
        for (int i = 0; i < 30; i++) {
            MaildirNames.info(List.of(), List.of("k" + i), numbering);
        }
        assertThat(numbering).hasSize(MaildirNames.MAX_KEYWORDS);
    }

    @Test
    void namesWithoutInfoOrWithUnknownLettersAreTolerated() {
        assertThat(MaildirNames.parse("1700000000.12345.host").flags()).isEmpty();
        MaildirNames.Info odd = MaildirNames.parse("junk:2,SaXbS");
        assertThat(odd.flags()).containsExactly("\\Seen");
        assertThat(odd.unknown()).isEqualTo("aXb");
        assertThat(MaildirNames.parse("windows!2,RS").flags()).containsExactly("\\Answered", "\\Seen");
        assertThat(MaildirNames.parse("experimental:1,whatever").flags()).isEmpty();
    }

    @Test
    void folderNamesAreMaildirPlusPlusWithDotsEscaped() {
        assertThat(MaildirNames.folderDir("INBOX")).isEmpty();
        assertThat(MaildirNames.folderDir("Sent")).contains(".Sent");
        assertThat(MaildirNames.folderDir("Archive/2024")).contains(".Archive.2024");
        assertThat(MaildirNames.folderDir("v1.2/Grüße 100")).contains(".v1%2E2.Grüße 100");
        for (String name : List.of("Sent", "Archive/2024", "v1.2/Grüße 100", "a\\b", "INBOX/child")) {
            assertThat(MaildirNames.mailboxOf(MaildirNames.folderDir(name).orElseThrow())).contains(name);
        }
        assertThat(MaildirNames.mailboxOf("..")).isEmpty();
        assertThat(MaildirNames.mailboxOf(".")).isEmpty();
        assertThat(MaildirNames.mailboxOf(".a..b")).isEmpty();
        assertThat(MaildirNames.mailboxOf("Sent")).isEmpty();
    }

    @Test
    void mboxFilesAreOnePerMailboxWithTheHierarchyAsDirectories() {
        assertThat(MboxPaths.fileOf("INBOX")).isEqualTo("INBOX.mbox");
        assertThat(MboxPaths.fileOf("Archive/2024")).isEqualTo("Archive/2024.mbox");
        assertThat(MboxPaths.fileOf("../etc/v1.2")).isEqualTo("%2E%2E/etc/v1%2E2.mbox");
        assertThat(MboxPaths.mailboxOf(Path.of("Archive/2024.mbox"))).contains("Archive/2024");
        assertThat(MboxPaths.mailboxOf(Path.of("%2E%2E/etc/v1%2E2.mbox"))).contains("../etc/v1.2");
        assertThat(MboxPaths.mailboxOf(Path.of("notes.txt"))).isEmpty();
        assertThat(MboxPaths.mailboxOf(Path.of(".hidden.mbox"))).isEmpty();
    }

    @Test
    void theExchangeDirectoryRefusesPathsThatLeaveIt() {
        ExchangeDirectory x = new ExchangeDirectory(Path.of("/srv/exchange"));
        assertThat(x.resolve("alice/2026")).isEqualTo(Path.of("/srv/exchange/alice/2026"));
        for (String bad : List.of("/etc/passwd", "../x", "a/../../x", "a/.hidden", "", "C:x", "a\\b")) {
            assertThatThrownBy(() -> x.resolve(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
