package mail.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.LongStream;
import mail.core.event.MailboxChanged.ChangeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MailboxChangedTest {

    @Test
    void keyedByAccountSoThatAnAccountsChangesStayInOrder() {
        MailboxChanged event = SampleEvents.messagesAdded();

        assertThat(event.kafkaKey()).isEqualTo("acc-42");
        assertThat(event.topic()).isEqualTo(Topics.MAILBOX_CHANGES);
        assertThat(event.type()).isEqualTo(MailboxChanged.TYPE);
    }

    @ParameterizedTest
    @EnumSource(value = ChangeKind.class, names = {"MESSAGE_ADDED", "FLAGS_CHANGED", "MESSAGES_EXPUNGED"})
    void messageChangesNeedUids(ChangeKind change) {
        assertThatThrownBy(() -> change(change, List.of(), null))
                .hasMessage(change + " requires at least one uid");
        assertThat(change(change, List.of(5L), null).uids()).containsExactly(5L);
    }

    @ParameterizedTest
    @EnumSource(value = ChangeKind.class, names = {"MAILBOX_CREATED", "MAILBOX_DELETED"})
    void mailboxChangesCarryNoUids(ChangeKind change) {
        assertThatThrownBy(() -> change(change, List.of(5L), null))
                .hasMessage(change + " must not carry uids");
        assertThat(change(change, null, null).uids()).isEmpty();
    }

    @Test
    void renameNeedsADifferentOldName() {
        assertThatThrownBy(() -> change(ChangeKind.MAILBOX_RENAMED, null, null))
                .hasMessage("oldName must not be null");
        assertThatThrownBy(() -> change(ChangeKind.MAILBOX_RENAMED, null, "INBOX"))
                .hasMessageContaining("a rename needs a new name");
        assertThat(SampleEvents.mailboxRenamed().oldName()).isEqualTo("Old/2024");
    }

    @Test
    void oldNameOnlyForRenames() {
        assertThatThrownBy(() -> change(ChangeKind.MAILBOX_CREATED, null, "Old"))
                .hasMessageContaining("oldName is only allowed for MAILBOX_RENAMED");
    }

    @Test
    void uidsAreNonZero32BitNumbers() {
        assertThatThrownBy(() -> change(ChangeKind.FLAGS_CHANGED, List.of(0L), null))
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> change(ChangeKind.FLAGS_CHANGED, List.of(4_294_967_296L), null))
                .hasMessageContaining("got 4294967296");
        assertThat(change(ChangeKind.FLAGS_CHANGED, List.of(4_294_967_295L), null).uids())
                .containsExactly(4_294_967_295L);
    }

    @Test
    void largeExpungesMustBeSplit() {
        List<Long> tooMany = LongStream.rangeClosed(1, MailboxChanged.MAX_UIDS + 1).boxed().toList();
        List<Long> limit = tooMany.subList(0, MailboxChanged.MAX_UIDS);

        assertThatThrownBy(() -> change(ChangeKind.MESSAGES_EXPUNGED, tooMany, null))
                .hasMessageContaining("split the change over several events");
        assertThat(change(ChangeKind.MESSAGES_EXPUNGED, limit, null).uids()).hasSize(MailboxChanged.MAX_UIDS);
    }

    @Test
    void uidValidityIsRequiredExceptForSubscriptions() {
        assertThatThrownBy(() -> new MailboxChanged(MailEvent.newId(), "imap-service/h", SampleEvents.TIME, "acc",
                "mbx", "INBOX", 0, ChangeKind.MAILBOX_CREATED, null, 0, null))
                .hasMessageContaining("uidValidity must be a 32-bit unsigned non-zero number");
        assertThat(SampleEvents.subscriptionsChanged().uidValidity()).isZero();
        assertThat(SampleEvents.subscriptionsChanged().mailboxId()).isNull();
    }

    @Test
    void mailboxIdIsRequiredExceptForSubscriptions() {
        assertThatThrownBy(() -> new MailboxChanged(MailEvent.newId(), "imap-service/h", SampleEvents.TIME, "acc",
                null, "INBOX", 1, ChangeKind.MAILBOX_CREATED, null, 0, null))
                .hasMessage("mailboxId must not be null");
    }

    @Test
    void createGeneratesAFreshIdAndTime() {
        MailboxChanged first = change(ChangeKind.MAILBOX_DELETED, null, null);
        MailboxChanged second = change(ChangeKind.MAILBOX_DELETED, null, null);

        assertThat(first.id()).isNotEqualTo(second.id()).matches("[0-9a-f-]{36}");
        assertThat(first.time()).isNotNull();
    }

    private static MailboxChanged change(ChangeKind change, List<Long> uids, String oldName) {
        return MailboxChanged.create("imap-service/host-1", "acc-42", "mbx-1", "INBOX", 12345, change, uids, 77,
                oldName);
    }
}
