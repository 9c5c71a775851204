package mail.core.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MailboxNameTest {

    static String reasonFor(Runnable r) {
        try {
            r.run();
        } catch (InvalidMailboxNameException e) {
            return e.reason();
        }
        throw new AssertionError("expected InvalidMailboxNameException");
    }

    /** {@code levels} levels of {@code "x"} joined by '/'. */
    static String nameWithLevels(int levels) {
        return String.join("/", Collections.nCopies(levels, "x"));
    }

    @Nested
    class Encodings {

        @Test
        void rfc3501Example() {
            MailboxName name = MailboxName.fromModifiedUtf7("~peter/mail/&U,BTFw-/&ZeVnLIqe-");

            assertThat(name.name()).isEqualTo("~peter/mail/台北/日本語");
            assertThat(name.levels()).containsExactly("~peter", "mail", "台北", "日本語");
            assertThat(name.toModifiedUtf7()).isEqualTo("~peter/mail/&U,BTFw-/&ZeVnLIqe-");
            assertThat(MailboxName.fromUtf8("~peter/mail/台北/日本語")).isEqualTo(name);
        }

        @Test
        void ampersandIsLiteralInUtf8AndEscapedInModifiedUtf7() {
            MailboxName fromUtf8 = MailboxName.fromUtf8("Tom & Jerry");

            assertThat(fromUtf8.name()).isEqualTo("Tom & Jerry");
            assertThat(fromUtf8.toModifiedUtf7()).isEqualTo("Tom &- Jerry");
            assertThat(MailboxName.fromModifiedUtf7("Tom &- Jerry")).isEqualTo(fromUtf8);
        }

        @Test
        void utf8NameThatLooksEncodedIsTakenLiterally() {
            MailboxName name = MailboxName.fromUtf8("&U,BTFw-");

            assertThat(name.name()).isEqualTo("&U,BTFw-");
            assertThat(name.toModifiedUtf7()).isEqualTo("&-U,BTFw-");
        }

        @Test
        void malformedModifiedUtf7IsRejectedThroughTheFactory() {
            assertThat(reasonFor(() -> MailboxName.fromModifiedUtf7("Entw&APw")))
                    .isEqualTo("'&' shift is not terminated by '-'");
            assertThat(reasonFor(() -> MailboxName.fromModifiedUtf7("&AGE-")))
                    .contains("must represent itself");
            assertThat(reasonFor(() -> MailboxName.fromModifiedUtf7("Entwürfe")))
                    .contains("not printable US-ASCII");
        }

        @Test
        void decodedNameIsValidatedToo() {
            assertThat(reasonFor(() -> MailboxName.fromModifiedUtf7("a&AAo-b")))
                    .isEqualTo("mailbox name contains a control character");
            assertThat(reasonFor(() -> MailboxName.fromModifiedUtf7("a&ICg-b")))
                    .isEqualTo("mailbox name contains a line or paragraph separator");
            assertThat(reasonFor(() -> MailboxName.fromModifiedUtf7("a//b")))
                    .isEqualTo("mailbox name has an empty hierarchy level");
        }

        @Test
        void namesAreNormalisedToNfc() {
            MailboxName decomposed = MailboxName.fromUtf8("Cafe\u0301");
            MailboxName fromMutf7 = MailboxName.fromModifiedUtf7(ModifiedUtf7.encode("Cafe\u0301"));

            assertThat(decomposed.name()).isEqualTo("Caf\u00E9");
            assertThat(decomposed).isEqualTo(MailboxName.parse("Caf\u00E9")).isEqualTo(fromMutf7);
            assertThat(fromMutf7.toModifiedUtf7()).isEqualTo("Caf&AOk-");
        }

        @Test
        void parseAndFromUtf8Agree() {
            assertThat(MailboxName.parse("Archiv/2024")).isEqualTo(MailboxName.fromUtf8("Archiv/2024"));
        }

        @Test
        void nullIsAProgrammingError() {
            assertThatNullPointerException().isThrownBy(() -> MailboxName.parse(null));
            assertThatNullPointerException().isThrownBy(() -> MailboxName.fromUtf8(null));
            assertThatNullPointerException().isThrownBy(() -> MailboxName.fromModifiedUtf7(null));
            assertThatNullPointerException().isThrownBy(() -> MailboxName.INBOX.child(null));
        }
    }

    @Nested
    class Inbox {

        @ParameterizedTest
        @ValueSource(strings = {"INBOX", "inbox", "Inbox", "iNbOx"})
        void anyCaseOfInboxIsCanonical(String input) {
            MailboxName name = MailboxName.parse(input);

            assertThat(name.name()).isEqualTo("INBOX");
            assertThat(name.isInbox()).isTrue();
            assertThat(name).isEqualTo(MailboxName.INBOX);
            assertThat(MailboxName.fromModifiedUtf7(input)).isEqualTo(MailboxName.INBOX);
        }

        @Test
        void inboxAsFirstLevelIsCanonical() {
            MailboxName name = MailboxName.parse("inbox/Sub/inbox");

            assertThat(name.name()).isEqualTo("INBOX/Sub/inbox");
            assertThat(name.levels()).containsExactly("INBOX", "Sub", "inbox");
            assertThat(name.isInbox()).isFalse();
            assertThat(name).isEqualTo(MailboxName.parse("INBOX/Sub/inbox"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"INBOXES", "INBO", "Sub/INBOX", "\u0131nbox", "\uFF29\uFF2E\uFF22\uFF2F\uFF38", "Inbox2/x", "My Inbox"})
        void onlyAsciiCaseVariantsOfTheFirstLevelCount(String input) {
            MailboxName name = MailboxName.parse(input);

            assertThat(name.isInbox()).isFalse();
            assertThat(name.name()).isEqualTo(input);
        }

        @Test
        void childrenOfInbox() {
            MailboxName child = MailboxName.INBOX.child("Receipts");

            assertThat(child.name()).isEqualTo("INBOX/Receipts");
            assertThat(child.parent()).contains(MailboxName.INBOX);
            assertThat(child.parent().orElseThrow().isInbox()).isTrue();
        }
    }

    @Nested
    class Hierarchy {

        @Test
        void levelsParentAndChild() {
            MailboxName c = MailboxName.parse("a/b/c");

            assertThat(c.levels()).containsExactly("a", "b", "c");
            assertThat(c.parent()).contains(MailboxName.parse("a/b"));
            assertThat(c.parent().flatMap(MailboxName::parent)).contains(MailboxName.parse("a"));
            assertThat(MailboxName.parse("a").parent()).isEmpty();
            assertThat(MailboxName.parse("a/b").child("c")).isEqualTo(c);
        }

        @Test
        void parentLevelsMatchItsName() {
            MailboxName parent = MailboxName.parse("x/y/z").parent().orElseThrow();

            assertThat(parent.levels()).containsExactly("x", "y");
            assertThat(parent).hasToString("x/y");
            assertThat(parent.toModifiedUtf7()).isEqualTo("x/y");
        }

        @Test
        void inboxLevelBelowTopIsOrdinary() {
            assertThat(MailboxName.parse("Archive").child("inbox").name()).isEqualTo("Archive/inbox");
        }

        @Test
        void childIsNormalisedAndValidated() {
            MailboxName parent = MailboxName.parse("Archiv");

            assertThat(parent.child("Cafe\u0301").levels()).containsExactly("Archiv", "Caf\u00E9");
            assertThat(reasonFor(() -> parent.child("a/b"))).isEqualTo("child level must not contain '/'");
            assertThat(reasonFor(() -> parent.child(""))).isEqualTo("child level is empty");
            assertThat(reasonFor(() -> parent.child("*"))).isEqualTo("mailbox name contains the wildcard '*'");
            assertThat(reasonFor(() -> parent.child("a\r\nb")))
                    .isEqualTo("mailbox name contains a control character");
        }

        @Test
        void levelsAreUnmodifiable() {
            List<String> levels = MailboxName.parse("a/b").levels();

            assertThatThrownBy(() -> levels.add("c")).isInstanceOf(UnsupportedOperationException.class);
            assertThat(MailboxName.parse("a/b").levels()).hasSize(2);
        }

        @Test
        void equalityAndHashCodeFollowTheName() {
            assertThat(MailboxName.parse("a/b")).isEqualTo(MailboxName.fromModifiedUtf7("a/b"))
                    .hasSameHashCodeAs(MailboxName.parse("a/b"))
                    .isNotEqualTo(MailboxName.parse("a/B"))
                    .isNotEqualTo("a/b");
        }
    }

    @Nested
    class Rules {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "''|mailbox name is empty",
            "/|mailbox name starts with the hierarchy delimiter",
            "/a|mailbox name starts with the hierarchy delimiter",
            "a/|mailbox name ends with the hierarchy delimiter",
            "a//b|mailbox name has an empty hierarchy level",
            "a*b|mailbox name contains the wildcard '*'",
            "%|mailbox name contains the wildcard '%'",
            "a/b%|mailbox name contains the wildcard '%'",
            "a\u0000b|mailbox name contains a control character",
            "a\tb|mailbox name contains a control character",
            "a\u007Fb|mailbox name contains a control character",
            "a\u0085b|mailbox name contains a control character",
            "a\u2029b|mailbox name contains a line or paragraph separator",
            "a\uD800b|mailbox name contains an unpaired surrogate",
            "a\uDC00|mailbox name contains an unpaired surrogate",
            "\uDE00\uD83D|mailbox name contains an unpaired surrogate",
        })
        void invalidNamesAreRejected(String input, String reason) {
            assertThat(reasonFor(() -> MailboxName.parse(input))).isEqualTo(reason);
            assertThat(reasonFor(() -> MailboxName.fromUtf8(input))).isEqualTo(reason);
        }

        @Test
        void crLfInjectionIsRejectedAndNotEchoedRaw() {
            InvalidMailboxNameException e = catchInvalid("x\r\n* OK fake");

            assertThat(e.getMessage()).contains("\\u000D\\u000A").doesNotContain("\r").doesNotContain("\n");
            assertThat(e.reason()).isEqualTo("mailbox name contains a control character");
        }

        @Test
        void surrogatePairsAndOtherUnicodeAreAccepted() {
            assertThat(MailboxName.parse("\uD83D\uDCE7 Mail/Ünïcödé\u00A0Ordner").levels())
                    .containsExactly("\uD83D\uDCE7 Mail", "Ünïcödé\u00A0Ordner");
        }

        @Test
        void lengthOf1024IsAcceptedAnd1025Rejected() {
            String ok = "a".repeat(MailboxName.MAX_LENGTH);

            assertThat(MailboxName.parse(ok).name()).hasSize(1024);
            assertThat(reasonFor(() -> MailboxName.parse(ok + "a")))
                    .isEqualTo("mailbox name is longer than 1024 characters");
        }

        @Test
        void lengthLimitAppliesToDecodedModifiedUtf7() {
            String ok = "ü".repeat(1024);
            String encodedOk = ModifiedUtf7.encode(ok);
            String encodedOver = ModifiedUtf7.encode(ok + "ü");

            assertThat(MailboxName.fromModifiedUtf7(encodedOk).name()).isEqualTo(ok);
            assertThat(reasonFor(() -> MailboxName.fromModifiedUtf7(encodedOver)))
                    .isEqualTo("mailbox name is longer than 1024 characters");
        }

        @Test
        void densestModifiedUtf7EncodingOfAMaximalNameIsAccepted() {
            // a lone non-ASCII character followed by "&" costs 7 encoded characters for 2
            String name = "ü&".repeat(512);
            String encoded = MailboxName.parse(name).toModifiedUtf7();

            assertThat(encoded).hasSize(512 * 7).startsWith("&APw-&-&APw-");
            assertThat(MailboxName.fromModifiedUtf7(encoded).name()).isEqualTo(name);
        }

        @Test
        void hugeModifiedUtf7InputIsRejectedBeforeDecoding() {
            String huge = "&AOQ-a".repeat(1_000_000);

            assertThat(reasonFor(() -> MailboxName.fromModifiedUtf7(huge)))
                    .isEqualTo("mailbox name is longer than 1024 characters");
        }

        @Test
        void lengthLimitAppliesAfterNfcExpansion() {
            // U+0958 is a composition exclusion: NFC turns it into two code units
            String name = "\u0958".repeat(600);

            assertThat(reasonFor(() -> MailboxName.parse(name)))
                    .isEqualTo("mailbox name is longer than 1024 characters");
            assertThat(MailboxName.parse("\u0958".repeat(512)).name()).hasSize(1024);
        }

        @Test
        void thirtyTwoLevelsAreAcceptedAndThirtyThreeRejected() {
            MailboxName deepest = MailboxName.parse(nameWithLevels(32));

            assertThat(deepest.levels()).hasSize(32);
            assertThat(reasonFor(() -> MailboxName.parse(nameWithLevels(33))))
                    .isEqualTo("mailbox name has more than 32 hierarchy levels");
            assertThat(reasonFor(() -> deepest.child("x")))
                    .isEqualTo("mailbox name has more than 32 hierarchy levels");
            assertThat(MailboxName.parse(nameWithLevels(31)).child("y").levels()).hasSize(32);
        }

        @Test
        void exceptionMessageTruncatesLongInput() {
            InvalidMailboxNameException e = catchInvalid("*".repeat(5000));

            assertThat(e.getMessage()).endsWith("... (5000 chars)").hasSizeLessThan(200);
        }

        private InvalidMailboxNameException catchInvalid(String input) {
            try {
                MailboxName.parse(input);
            } catch (InvalidMailboxNameException e) {
                return e;
            }
            throw new AssertionError("expected InvalidMailboxNameException");
        }
    }
}
