package mail.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueueCommandTest extends LoggedInCommandTest {
    private static final String ENTRY = "{\"id\":\"e-1\",\"state\":\"deferred\",\"sender\":\"a@example.test\",\"domain\":\"example.net\","
            + "\"attempts\":2,\"nextAttemptAt\":\"2026-11-29T10:00:00Z\",\"lastError\":\"451 4.7.1 greylisted\","
            + "\"recipients\":[{\"address\":\"b@example.net\",\"state\":\"pending\"}]}";

    @Test
    void listPassesTheFiltersToTheRelayAndPrintsATable() {
        server.answer("GET /api/v1/queue?limit=50&sender=a%40example.test&domain=example.net&state=deferred", 200, "[" + ENTRY + "]");
        assertThat(run("queue", "--relay-url", server.url(), "list", "--sender", "a@example.test", "--domain", "example.net",
                "--state", "deferred", "--limit", "50")).isZero();
        assertThat(out.toString()).contains("ID", "STATE", "e-1", "deferred", "451 4.7.1 greylisted");
        assertThat(server.requests.get(server.requests.size() - 1).authorization()).isEqualTo("Bearer tok-1");
    }

    @Test
    void showRetryAndDeleteUseTheEntryPaths() {
        server.answer("GET /api/v1/queue/e-1", 200, ENTRY);
        server.answer("POST /api/v1/queue/e-1/retry", 200, ENTRY);
        server.answer("DELETE /api/v1/queue/e-1?bounce=true", 200, ENTRY);
        server.answer("DELETE /api/v1/queue/e-1?bounce=false", 200, ENTRY);
        assertThat(run("queue", "--relay-url", server.url(), "show", "e-1")).isZero();
        assertThat(out.toString()).contains("lastError:", "RECIPIENT", "b@example.net", "pending");
        assertThat(run("queue", "--relay-url", server.url(), "retry", "e-1")).isZero();
        assertThat(run("queue", "--relay-url", server.url(), "delete", "e-1", "--bounce")).isZero();
        assertThat(run("queue", "--relay-url", server.url(), "delete", "e-1")).isZero();
        assertThat(out.toString()).contains("queued e-1 for an attempt now", "the sender will get a DSN", "deleted e-1 silently");
        assertThat(server.requests).extracting(r -> r.method() + " " + r.path()).contains("POST /api/v1/queue/e-1/retry",
                "DELETE /api/v1/queue/e-1?bounce=true", "DELETE /api/v1/queue/e-1?bounce=false");
    }

    @Test
    void aRefusalIsAClearMessageAndExitCode1() {
        server.answer("POST /api/v1/queue/e-2/retry", 409,
                "{\"type\":\"urn:mailplatform:problem:not-active\",\"status\":409,\"detail\":\"queue entry e-2 is done; there is nothing to retry\"}");
        assertThat(run("queue", "--relay-url", server.url(), "retry", "e-2")).isEqualTo(1);
        assertThat(err.toString()).contains("nothing to retry");
        assertThat(run("queue", "--relay-url", server.url(), "show", "unknown")).isEqualTo(1);
    }
}
