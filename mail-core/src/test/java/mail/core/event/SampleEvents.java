package mail.core.event;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Fixed, fully populated events shared by the codec tests. */
public final class SampleEvents {

    static final String SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final MessageRef MESSAGE = MessageRef.of(SHA256, 2048);
    static final Instant TIME = Instant.parse("2025-03-01T10:15:30.123Z");
    static final Instant RECEIVED_AT = Instant.parse("2025-03-01T10:15:29.900Z");

    private SampleEvents() {
    }

    public static SmtpEnvelope envelope() {
        return new SmtpEnvelope("alice@example.org",
                List.of(new Recipient("bob@example.com", EnumSet.of(DsnNotify.SUCCESS, DsnNotify.FAILURE),
                                OriginalRecipient.rfc822("bob@example.com")),
                        Recipient.of("carol@example.net")),
                DsnReturn.HDRS, "QQ314159", BodyType.EIGHT_BIT_MIME, false, 2048L);
    }

    public static ConnectionInfo tlsConnection() {
        return new ConnectionInfo("192.0.2.10", "mx.example.org", null, ReceivedProtocol.ESMTPS, "TLSv1.3",
                "TLS_AES_256_GCM_SHA384", "mx1.example.com", RECEIVED_AT);
    }

    public static MailReceived mailReceived() {
        return new MailReceived("4f0c7a8e-2f4b-4c3e-9b1a-6f1d2e3c4b5a", "smtp-gateway/host-1", TIME, MESSAGE,
                envelope(), tlsConnection());
    }

    public static MailReceived bounceReceived() {
        SmtpEnvelope bounce = new SmtpEnvelope(SmtpEnvelope.NULL_SENDER,
                List.of(new Recipient("bob@example.com", Set.of(DsnNotify.NEVER), null)), null, null,
                BodyType.SEVEN_BIT, false, null);
        ConnectionInfo submission = new ConnectionInfo("2001:db8::25", "[2001:db8::25]", "bob",
                ReceivedProtocol.UTF8SMTPSA, "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", "submit-1.example.com",
                RECEIVED_AT);
        return new MailReceived("0b6e1c0e-5d7a-4a53-8f7e-3c1b2a4d5e6f", "smtp-gateway/host-2", TIME, MESSAGE,
                bounce, submission);
    }

    public static MailboxChanged messagesAdded() {
        return new MailboxChanged("7d3f5a2b-1c4e-4f6a-8b9c-0d1e2f3a4b5c", "delivery-worker/host-1", TIME,
                "acc-42", "mbx-inbox", "INBOX", 1_700_000_000L, MailboxChanged.ChangeKind.MESSAGE_ADDED,
                List.of(17L, 18L), 9001, null);
    }

    public static MailboxChanged mailboxRenamed() {
        return new MailboxChanged("3a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d", "imap-service/host-1", TIME, "acc-42",
                "mbx-7", "Archive/2024", 4_294_967_295L, MailboxChanged.ChangeKind.MAILBOX_RENAMED, List.of(), 12,
                "Old/2024");
    }

    public static MailboxChanged subscriptionsChanged() {
        return new MailboxChanged("5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f", "imap-service/host-1", TIME, "acc-42",
                null, "Shared/Ghost", 0, MailboxChanged.ChangeKind.SUBSCRIPTIONS_CHANGED, null, 0, null);
    }

    public static DirectoryChanged accountUpserted() {
        return new DirectoryChanged("8e9f0a1b-2c3d-4e5f-8a6b-7c8d9e0f1a2b", "directory-service/host-1", TIME,
                DirectoryChanged.EntityKind.ACCOUNT, "alice@example.com", DirectoryChanged.Operation.UPSERTED, 42,
                new DirectorySnapshot.Account("Alice@example.com", "acc-1", "Alice Liddell", 5_368_709_120L, true));
    }

    public static DirectoryChanged domainUpserted() {
        return new DirectoryChanged("1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9", "directory-service/host-1", TIME,
                DirectoryChanged.EntityKind.DOMAIN, "example.com", DirectoryChanged.Operation.UPSERTED, 3,
                new DirectorySnapshot.Domain("example.com", List.of("example.net", "example.org")));
    }

    public static DirectoryChanged accountUpsertedWithCredentialsVersion() {
        return new DirectoryChanged("0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a", "directory-service/host-1", TIME,
                DirectoryChanged.EntityKind.ACCOUNT, "bob@example.com", DirectoryChanged.Operation.UPSERTED, 44,
                new DirectorySnapshot.Account("bob@example.com", "acc-2", null, 0, false, 7L, 10_000L));
    }

    public static DirectoryChanged domainWithCatchAll() {
        return new DirectoryChanged("5e6f7a8b-9c0d-4e1f-9a2b-3c4d5e6f7a8b", "directory-service/host-1", TIME,
                DirectoryChanged.EntityKind.DOMAIN, "example.org", DirectoryChanged.Operation.UPSERTED, 2,
                new DirectorySnapshot.Domain("example.org", List.of(), "catch@example.com"));
    }

    public static DirectoryChanged groupUpserted() {
        return new DirectoryChanged("2a3b4c5d-6e7f-4809-9a1b-2c3d4e5f6a7b", "directory-service/host-1", TIME,
                DirectoryChanged.EntityKind.GROUP, "team@example.com", DirectoryChanged.Operation.UPSERTED, 7,
                new DirectorySnapshot.Group("team@example.com", List.of("alice@example.com", "dave@remote.test")));
    }

    public static DirectoryChanged aliasUpserted() {
        return new DirectoryChanged("6b7c8d9e-0f1a-4b2c-8d3e-4f5a6b7c8d9e", "directory-service/host-1", TIME,
                DirectoryChanged.EntityKind.ALIAS, "postmaster@example.com", DirectoryChanged.Operation.UPSERTED, 1,
                new DirectorySnapshot.Alias("postmaster@example.com", List.of("alice@example.com")));
    }

    public static DirectoryChanged accountDeleted() {
        return new DirectoryChanged("9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d", "directory-service/host-1", TIME,
                DirectoryChanged.EntityKind.ACCOUNT, "alice@example.com", DirectoryChanged.Operation.DELETED, 43,
                null);
    }

    public static OutboundRequested outboundRequested() {
        return new OutboundRequested("c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f", "delivery-worker/host-1", TIME,
                "4f0c7a8e-2f4b-4c3e-9b1a-6f1d2e3c4b5a", MESSAGE, "alice@example.org", "example.net",
                List.of(new Recipient("carol@Example.NET", EnumSet.of(DsnNotify.FAILURE, DsnNotify.DELAY),
                        OriginalRecipient.rfc822("carol@example.net"))),
                DsnReturn.HDRS, "QQ314159", BodyType.EIGHT_BIT_MIME, false, "acc-1", 1, TIME, RECEIVED_AT);
    }

    public static Stream<MailEvent> all() {
        return Stream.of(mailReceived(), bounceReceived(), messagesAdded(), mailboxRenamed(), subscriptionsChanged(),
                accountUpserted(), domainUpserted(), accountUpsertedWithCredentialsVersion(), domainWithCatchAll(),
                groupUpserted(), aliasUpserted(), accountDeleted(),
                outboundRequested());
    }
}
