package mail.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void topicNames() {
        assertThat(Topics.ALL).containsExactly("mail.received", "mailbox.changes", "directory.changes",
                "mail.outbound");
    }

    @Test
    void deadLetterTopicAppendsDlq() {
        assertThat(Topics.deadLetterTopic(Topics.MAIL_RECEIVED)).isEqualTo("mail.received.dlq")
                .isEqualTo(Topics.MAIL_RECEIVED_DLQ);
        assertThat(Topics.deadLetterTopic(Topics.MAILBOX_CHANGES)).isEqualTo(Topics.MAILBOX_CHANGES_DLQ);
        assertThat(Topics.deadLetterTopic(Topics.DIRECTORY_CHANGES)).isEqualTo(Topics.DIRECTORY_CHANGES_DLQ);
        assertThat(Topics.deadLetterTopic(Topics.MAIL_OUTBOUND)).isEqualTo("mail.outbound.dlq")
                .isEqualTo(Topics.MAIL_OUTBOUND_DLQ);
        assertThat(Topics.isDeadLetterTopic("mail.outbound.dlq")).isTrue();
        assertThat(Topics.isDeadLetterTopic("mail.outbound")).isFalse();
    }

    @Test
    void deadLettersOfDeadLettersAreRefused() {
        assertThatThrownBy(() -> Topics.deadLetterTopic("mail.received.dlq"))
                .hasMessageContaining("already a dead-letter topic");
    }

    @Test
    void everyEventGoesToAKnownTopic() {
        assertThat(SampleEvents.all().map(MailEvent::topic).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(Topics.ALL);
    }

    // Guards against adding a record to the sealed interface but forgetting to teach the codec about it.
    @Test
    void theCodecKnowsEveryPermittedEventType() {
        assertThat(MailEvent.class.getPermittedSubclasses()).hasSize(EventCodec.supportedSchemaVersions().size());
        assertThat(SampleEvents.all().map(MailEvent::getClass).distinct().count())
                .isEqualTo(MailEvent.class.getPermittedSubclasses().length);
        SampleEvents.all().forEach(event -> assertThat(EventCodec.supportedSchemaVersions())
                .containsEntry(event.type(), event.schemaVersion()));
        assertThat(Arrays.stream(MailEvent.class.getPermittedSubclasses()).map(Class::getSimpleName))
                .containsExactlyInAnyOrder("MailReceived", "MailboxChanged", "DirectoryChanged", "OutboundRequested");
    }
}
