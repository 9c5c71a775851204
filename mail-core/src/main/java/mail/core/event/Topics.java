package mail.core.event;

import java.util.List;

public final class Topics {

    public static final String MAIL_RECEIVED = "mail.received";
    public static final String MAILBOX_CHANGES = "mailbox.changes";
    /** Compacted: the latest record per key is the directory's current state. */
    public static final String DIRECTORY_CHANGES = "directory.changes";
    public static final String MAIL_OUTBOUND = "mail.outbound";

    public static final List<String> ALL = List.of(MAIL_RECEIVED, MAILBOX_CHANGES, DIRECTORY_CHANGES, MAIL_OUTBOUND);

    public static final String DEAD_LETTER_SUFFIX = ".dlq";

    public static final String MAIL_RECEIVED_DLQ = MAIL_RECEIVED + DEAD_LETTER_SUFFIX;
    public static final String MAILBOX_CHANGES_DLQ = MAILBOX_CHANGES + DEAD_LETTER_SUFFIX;
    public static final String DIRECTORY_CHANGES_DLQ = DIRECTORY_CHANGES + DEAD_LETTER_SUFFIX;
    public static final String MAIL_OUTBOUND_DLQ = MAIL_OUTBOUND + DEAD_LETTER_SUFFIX;

    private Topics() {
    }

    public static String deadLetterTopic(String topic) {
        Checks.nonBlank(topic, "topic");
        // A dead letter of a dead letter would hide the original failure behind a second one.
        if (isDeadLetterTopic(topic)) {
            throw new IllegalArgumentException(topic + " is already a dead-letter topic");
        }
        return topic + DEAD_LETTER_SUFFIX;
    }

    public static boolean isDeadLetterTopic(String topic) {
        return topic != null && topic.endsWith(DEAD_LETTER_SUFFIX);
    }
}
