package mail.imap.session;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mail.core.event.DirectoryChanged;
import mail.core.event.DirectorySnapshot;
import mail.core.event.Topics;
import mail.core.kafka.KafkaEventPublisher;
import mail.core.kafka.KafkaTopics;
import mail.core.runtime.PlatformTopics;
import mail.imap.server.ImapServer;
import mail.store.MailStore;
import mail.testsupport.KeycloakUsers;
import mail.testsupport.SharedInfra;
import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Makes test accounts usable over IMAP the way the platform does: a Keycloak user with the password, the domain and
 * the account published on {@code directory.changes}, the default mailboxes, and the service's directory cache and
 * change feed caught up. Every IMAP test class that logs in goes through here.
 */
public final class TestAccounts {
    private static final Duration WAIT = Duration.ofMinutes(3);

    private TestAccounts() {
    }

    /** An account without quota. */
    public static DirectorySnapshot.Account account(String address, String accountId) {
        return new DirectorySnapshot.Account(address, accountId, address.substring(0, address.indexOf('@')), 0, true);
    }

    public static void prepare(ImapServer server, MailStore store, String password, List<DirectorySnapshot.Account> accounts)
            throws Exception {
        KeycloakUsers users = new KeycloakUsers(SharedInfra.require("keycloak"));
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        // a test class run alone: nothing else of this build may have created the topics the change feed waits for
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            KafkaTopics.ensure(admin, PlatformTopics.all(3, (short) 1));
        }
        List<DirectoryChanged> events = new ArrayList<>();
        events.add(DirectoryChanged.upserted("imap-test", 1, new DirectorySnapshot.Domain("example.test", List.of())));
        for (DirectorySnapshot.Account a : accounts) {
            users.ensureMailUser(a.address(), password);
            events.add(DirectoryChanged.upserted("imap-test", 1, a));
        }
        try (KafkaEventPublisher p = KafkaEventPublisher.create(bootstrap, "imap-test", Duration.ofSeconds(20))) {
            for (DirectoryChanged e : events) {
                p.publish(Topics.DIRECTORY_CHANGES, e.compactionKey(), e).get(20, TimeUnit.SECONDS);
            }
        }
        for (DirectorySnapshot.Account a : accounts) {
            store.mailboxes().ensureDefaults(a.accountId());
        }
        untilReady();
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        while (!(server.directoryLoaded() && accounts.stream().allMatch(a -> server.directory().account(a.address()).isPresent())
                && server.changeFeedAssigned())) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the directory cache or the change feed did not start: loaded=" + server.directoryLoaded()
                        + " feed=" + server.changeFeedAssigned());
            }
            Thread.sleep(100);
        }
    }

    /** Readiness also means the service's Kafka topics and MongoDB collections exist. */
    public static void untilReady() throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        while (given().get("/q/health/ready").statusCode() != 200) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("imap-service did not become ready");
            }
            Thread.sleep(250);
        }
    }
}
