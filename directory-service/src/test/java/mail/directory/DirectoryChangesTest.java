package mail.directory;

import static mail.directory.Api.admin;
import static mail.directory.Api.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mail.core.address.Domain;
import mail.core.address.EmailAddress;
import mail.core.directory.DirectoryState;
import mail.core.directory.KafkaDirectoryCache;
import mail.core.directory.Resolution;
import mail.core.event.DirectorySnapshot;
import mail.testsupport.InfraTestResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The path every other service depends on: admin API -> MongoDB -> directory.changes -> a KafkaDirectoryCache as the
 * gateway and workers run it, including the credentials invalidation that closes sessions.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class DirectoryChangesTest {
    private static final Duration PROPAGATION = Duration.ofSeconds(20);
    private static DirectoryState state;
    private static KafkaDirectoryCache cache;
    private static final List<String> invalidated = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startCache() throws InterruptedException {
        state = new DirectoryState();
        state.onCredentialsInvalidated(a -> invalidated.add(a.address().toLowerCase()));
        cache = KafkaDirectoryCache.start(Api.INFRA.kafkaBootstrap(), state);
        assertThat(cache.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
    }

    @AfterAll
    static void stopCache() {
        cache.close();
    }

    private static Resolution resolve(String address) {
        return state.resolve(EmailAddress.parse(address));
    }

    @Test
    void createsReachTheCacheAndResolve() {
        Api.domain("cache.test");
        Api.account("dora@cache.test", "Dora-pass-123");
        post("/api/v1/aliases", Map.of("address", "help@cache.test", "targets", List.of("dora@cache.test"))).statusCode(201);
        post("/api/v1/groups", Map.of("address", "all@cache.test", "members", List.of("help@cache.test", "x@remote.example")))
                .statusCode(201);
        post("/api/v1/domains/cache.test/aliases", Map.of("name", "cache-alias.test")).statusCode(200);

        await().atMost(PROPAGATION).untilAsserted(() -> {
            assertThat(state.isLocalDomain(Domain.parse("cache-alias.test"))).isTrue();
            assertThat(resolve("help@cache-alias.test")).isInstanceOf(Resolution.Deliverable.class);
            Resolution all = resolve("all@cache.test");
            assertThat(all).isInstanceOf(Resolution.Deliverable.class);
            assertThat(((Resolution.Deliverable) all).remoteTargets()).containsExactly("x@remote.example");
            assertThat(((Resolution.Deliverable) all).accounts()).extracting(DirectorySnapshot.Account::address)
                    .containsExactly("dora@cache.test");
        });
        DirectorySnapshot.Account dora = state.account("dora@cache.test").orElseThrow();
        assertThat(dora.credentialsVersion()).isEqualTo(1L);
        assertThat(dora.quotaBytes()).isEqualTo(1073741824L);
    }

    @Test
    void theSentCopySettingReachesTheDeliveryWorkersCacheAndIsOffByDefault() {
        Api.domain("sentcopy.test");
        Api.account("kim@sentcopy.test", "Kim-pass-12345");
        await().atMost(PROPAGATION).until(() -> state.account("kim@sentcopy.test").isPresent());
        assertThat(state.account("kim@sentcopy.test").orElseThrow().savesSentCopy()).isFalse();
        admin().get("/api/v1/accounts/kim@sentcopy.test").then().statusCode(200).body("saveSentCopy", equalTo(false));

        admin().body(Map.of("saveSentCopy", true)).patch("/api/v1/accounts/kim@sentcopy.test").then().statusCode(200)
                .body("saveSentCopy", equalTo(true));
        await().atMost(PROPAGATION).until(() -> state.account("kim@sentcopy.test").orElseThrow().savesSentCopy());
        // a setting, not a credential: open sessions stay open
        assertThat(invalidated).doesNotContain("kim@sentcopy.test");

        admin().body(Map.of("saveSentCopy", "sometimes")).patch("/api/v1/accounts/kim@sentcopy.test").then().statusCode(400);
        admin().get("/api/v1/accounts/kim@sentcopy.test").then().body("saveSentCopy", equalTo(true));
        admin().body(Map.of("saveSentCopy", false)).patch("/api/v1/accounts/kim@sentcopy.test").then().statusCode(200);
        await().atMost(PROPAGATION).until(() -> !state.account("kim@sentcopy.test").orElseThrow().savesSentCopy());

        post("/api/v1/accounts", Map.of("address", "lee@sentcopy.test", "password", "Lee-pass-12345", "saveSentCopy", true))
                .statusCode(201).body("saveSentCopy", equalTo(true));
        await().atMost(PROPAGATION).until(() -> state.account("lee@sentcopy.test").map(DirectorySnapshot.Account::savesSentCopy)
                .orElse(false));
    }

    @Test
    void passwordChangeAndDisablingInvalidateCachedCredentials() {
        Api.domain("creds.test");
        Api.account("eve@creds.test", "Eve-pass-1234");
        await().atMost(PROPAGATION).until(() -> state.account("eve@creds.test").isPresent());

        admin().body(Map.of("displayName", "Eve Renamed")).patch("/api/v1/accounts/eve@creds.test").then().statusCode(200);
        await().atMost(PROPAGATION).until(() -> "Eve Renamed".equals(state.account("eve@creds.test").orElseThrow().displayName()));
        assertThat(invalidated).doesNotContain("eve@creds.test");

        admin().body(Map.of("password", "Eve-pass-5678")).patch("/api/v1/accounts/eve@creds.test").then().statusCode(200);
        await().atMost(PROPAGATION).until(() -> invalidated.contains("eve@creds.test"));
        assertThat(state.account("eve@creds.test").orElseThrow().credentialsVersion()).isEqualTo(2L);

        invalidated.clear();
        admin().body(Map.of("enabled", false)).patch("/api/v1/accounts/eve@creds.test").then().statusCode(200);
        await().atMost(PROPAGATION).until(() -> invalidated.contains("eve@creds.test"));
        assertThat(state.account("eve@creds.test").orElseThrow().enabled()).isFalse();
        assertThat(resolve("eve@creds.test")).isInstanceOf(Resolution.Disabled.class);
    }

    @Test
    void deletesEvictAndCatchAllReachesTheCache() {
        Api.domain("gone.test");
        Api.account("fred@gone.test", "Fred-pass-1234");
        admin().body(Map.of("target", "fred@gone.test")).put("/api/v1/domains/gone.test/catch-all").then().statusCode(200);
        await().atMost(PROPAGATION).until(() -> resolve("anything@gone.test") instanceof Resolution.Deliverable);

        admin().delete("/api/v1/domains/gone.test/catch-all").then().statusCode(200);
        await().atMost(PROPAGATION).until(() -> resolve("anything@gone.test") instanceof Resolution.Unknown);

        invalidated.clear();
        admin().delete("/api/v1/accounts/fred@gone.test").then().statusCode(204);
        await().atMost(PROPAGATION).until(() -> state.account("fred@gone.test").isEmpty());
        assertThat(invalidated).contains("fred@gone.test");

        admin().delete("/api/v1/domains/gone.test").then().statusCode(204);
        await().atMost(PROPAGATION).until(() -> !state.isLocalDomain(Domain.parse("gone.test")));
    }

    @Test
    void nothingIsLeftUnpublished() {
        Api.domain("published.test");
        admin().post("/api/v1/maintenance/republish").then().statusCode(200)
                .body("pending", org.hamcrest.Matchers.equalTo(0));
    }
}
