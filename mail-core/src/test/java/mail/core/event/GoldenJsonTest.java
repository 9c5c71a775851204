package mail.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Freezes the wire format: each literal below is what producers of this schema version write. A change that
 * breaks one of these tests breaks deployed consumers and needs a schemaversion bump (see docs/events.md).
 */
class GoldenJsonTest {

    private final EventCodec codec = new EventCodec();
    private final ObjectMapper plain = new ObjectMapper();

    private static final String MAIL_RECEIVED = """
            {
              "specversion": "1.0",
              "id": "4f0c7a8e-2f4b-4c3e-9b1a-6f1d2e3c4b5a",
              "source": "smtp-gateway/host-1",
              "type": "mail.received",
              "time": "2025-03-01T10:15:30.123Z",
              "datacontenttype": "application/json",
              "schemaversion": 1,
              "data": {
                "message": {
                  "blobKey": "sha256/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                  "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                  "size": 2048
                },
                "envelope": {
                  "reversePath": "alice@example.org",
                  "recipients": [
                    {
                      "address": "bob@example.com",
                      "notify": ["SUCCESS", "FAILURE"],
                      "orcpt": {"addressType": "rfc822", "address": "bob@example.com"}
                    },
                    {"address": "carol@example.net", "notify": [], "orcpt": null}
                  ],
                  "ret": "HDRS",
                  "envId": "QQ314159",
                  "bodyType": "8BITMIME",
                  "smtpUtf8": false,
                  "declaredSize": 2048
                },
                "connection": {
                  "clientIp": "192.0.2.10",
                  "heloName": "mx.example.org",
                  "authenticatedUser": null,
                  "protocol": "ESMTPS",
                  "tlsProtocol": "TLSv1.3",
                  "tlsCipher": "TLS_AES_256_GCM_SHA384",
                  "gatewayHost": "mx1.example.com",
                  "receivedAt": "2025-03-01T10:15:29.900Z"
                }
              }
            }
            """;

    private static final String MAILBOX_CHANGED = """
            {
              "specversion": "1.0",
              "id": "7d3f5a2b-1c4e-4f6a-8b9c-0d1e2f3a4b5c",
              "source": "delivery-worker/host-1",
              "type": "mailbox.changed",
              "time": "2025-03-01T10:15:30.123Z",
              "datacontenttype": "application/json",
              "schemaversion": 1,
              "data": {
                "accountId": "acc-42",
                "mailboxId": "mbx-inbox",
                "mailboxName": "INBOX",
                "uidValidity": 1700000000,
                "change": "MESSAGE_ADDED",
                "uids": [17, 18],
                "highestModSeq": 9001,
                "oldName": null
              }
            }
            """;

    private static final String DIRECTORY_CHANGED = """
            {
              "specversion": "1.0",
              "id": "8e9f0a1b-2c3d-4e5f-8a6b-7c8d9e0f1a2b",
              "source": "directory-service/host-1",
              "type": "directory.changed",
              "time": "2025-03-01T10:15:30.123Z",
              "datacontenttype": "application/json",
              "schemaversion": 1,
              "data": {
                "kind": "ACCOUNT",
                "key": "alice@example.com",
                "operation": "UPSERTED",
                "revision": 42,
                "snapshot": {
                  "kind": "ACCOUNT",
                  "address": "Alice@example.com",
                  "accountId": "acc-1",
                  "displayName": "Alice Liddell",
                  "quotaBytes": 5368709120,
                  "enabled": true
                }
              }
            }
            """;

    // the same schema version with the fields added later (credentialsVersion, quotaMessages, catchAll)
    private static final String DIRECTORY_ACCOUNT_WITH_CREDENTIALS_VERSION = """
            {
              "specversion": "1.0",
              "id": "0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a",
              "source": "directory-service/host-1",
              "type": "directory.changed",
              "time": "2025-03-01T10:15:30.123Z",
              "datacontenttype": "application/json",
              "schemaversion": 1,
              "data": {
                "kind": "ACCOUNT",
                "key": "bob@example.com",
                "operation": "UPSERTED",
                "revision": 44,
                "snapshot": {
                  "kind": "ACCOUNT",
                  "address": "bob@example.com",
                  "accountId": "acc-2",
                  "displayName": null,
                  "quotaBytes": 0,
                  "enabled": false,
                  "credentialsVersion": 7,
                  "quotaMessages": 10000
                }
              }
            }
            """;

    private static final String DIRECTORY_DOMAIN_WITH_CATCH_ALL = """
            {
              "specversion": "1.0",
              "id": "5e6f7a8b-9c0d-4e1f-9a2b-3c4d5e6f7a8b",
              "source": "directory-service/host-1",
              "type": "directory.changed",
              "time": "2025-03-01T10:15:30.123Z",
              "datacontenttype": "application/json",
              "schemaversion": 1,
              "data": {
                "kind": "DOMAIN",
                "key": "example.org",
                "operation": "UPSERTED",
                "revision": 2,
                "snapshot": {
                  "kind": "DOMAIN",
                  "name": "example.org",
                  "aliasDomains": [],
                  "catchAll": "catch@example.com"
                }
              }
            }
            """;

    private static final String DIRECTORY_DELETED = """
            {
              "specversion": "1.0",
              "id": "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
              "source": "directory-service/host-1",
              "type": "directory.changed",
              "time": "2025-03-01T10:15:30.123Z",
              "datacontenttype": "application/json",
              "schemaversion": 1,
              "data": {
                "kind": "ACCOUNT",
                "key": "alice@example.com",
                "operation": "DELETED",
                "revision": 43,
                "snapshot": null
              }
            }
            """;

    private static final String OUTBOUND_REQUESTED = """
            {
              "specversion": "1.0",
              "id": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f",
              "source": "delivery-worker/host-1",
              "type": "mail.outbound.requested",
              "time": "2025-03-01T10:15:30.123Z",
              "datacontenttype": "application/json",
              "schemaversion": 1,
              "data": {
                "receivedEventId": "4f0c7a8e-2f4b-4c3e-9b1a-6f1d2e3c4b5a",
                "message": {
                  "blobKey": "sha256/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                  "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                  "size": 2048
                },
                "reversePath": "alice@example.org",
                "domain": "example.net",
                "recipients": [
                  {
                    "address": "carol@Example.NET",
                    "notify": ["FAILURE", "DELAY"],
                    "orcpt": {"addressType": "rfc822", "address": "carol@example.net"}
                  }
                ],
                "ret": "HDRS",
                "envId": "QQ314159",
                "bodyType": "8BITMIME",
                "smtpUtf8": false,
                "originatingAccount": "acc-1",
                "attempt": 1,
                "notBefore": "2025-03-01T10:15:30.123Z",
                "receivedAt": "2025-03-01T10:15:29.900Z"
              }
            }
            """;

    @Test
    void mailReceived() throws Exception {
        assertGolden(MAIL_RECEIVED, SampleEvents.mailReceived());
    }

    @Test
    void mailboxChanged() throws Exception {
        assertGolden(MAILBOX_CHANGED, SampleEvents.messagesAdded());
    }

    @Test
    void directoryChangedUpsert() throws Exception {
        assertGolden(DIRECTORY_CHANGED, SampleEvents.accountUpserted());
    }

    @Test
    void directoryChangedAccountWithCredentialsVersionAndMessageQuota() throws Exception {
        assertGolden(DIRECTORY_ACCOUNT_WITH_CREDENTIALS_VERSION, SampleEvents.accountUpsertedWithCredentialsVersion());
    }

    @Test
    void directoryChangedDomainWithCatchAll() throws Exception {
        assertGolden(DIRECTORY_DOMAIN_WITH_CATCH_ALL, SampleEvents.domainWithCatchAll());
    }

    @Test
    void directoryChangedDelete() throws Exception {
        assertGolden(DIRECTORY_DELETED, SampleEvents.accountDeleted());
    }

    @Test
    void outboundRequested() throws Exception {
        assertGolden(OUTBOUND_REQUESTED, SampleEvents.outboundRequested());
    }

    @Test
    void typeNamesAndVersionsAreFrozen() {
        assertThat(EventCodec.supportedSchemaVersions()).containsOnly(
                org.assertj.core.api.Assertions.entry("mail.received", 1),
                org.assertj.core.api.Assertions.entry("mailbox.changed", 1),
                org.assertj.core.api.Assertions.entry("directory.changed", 1),
                org.assertj.core.api.Assertions.entry("mail.outbound.requested", 1));
    }

    // Both directions: old literals must still parse, and today's encoder must still write the literal.
    private void assertGolden(String literal, MailEvent expected) throws Exception {
        MailEvent parsed = codec.decode(literal.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed).isEqualTo(expected);
        assertThat(plain.readTree(codec.encode(parsed))).isEqualTo(plain.readTree(literal));
    }
}
