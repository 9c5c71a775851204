package mail.smtp.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import mail.core.address.Domain;
import mail.core.address.EmailAddress;
import mail.core.directory.DirectoryState;
import mail.core.directory.Resolution;
import mail.core.event.DirectoryChanged;
import mail.core.event.DirectorySnapshot;
import mail.testsupport.InfraEndpoints;

/**
 * Stands in for directory-service's internal lookup API (its contract: GET /internal/v1/resolve and /senders, JSON as
 * directory-service's LookupApiTest pins it). Answers come from mail-core's DirectoryState, the rules
 * directory-service uses too, over this test's own directory. Tokens are checked for real: each request's bearer
 * token is introspected at the test Keycloak and must carry realm role mail-service, as directory-service demands.
 * It can be stopped (directory-service down) and made to hang (slower than the gateway's timeout).
 */
final class LookupServer {
    static final String DOMAIN = "fallback.test";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InfraEndpoints infra;
    private final int port;
    private final DirectoryState state = new DirectoryState();
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger requests = new AtomicInteger();
    private final Set<String> tokensSeen = ConcurrentHashMap.newKeySet();
    // a token's verdict does not change within this test's minutes; asking Keycloak once per token keeps the
    // stand-in fast on a loaded machine (the gateway's lookup timeout is short)
    private final Map<String, Integer> verdicts = new ConcurrentHashMap<>();
    private volatile boolean hang;
    private HttpServer server;

    LookupServer(InfraEndpoints infra, int port) {
        this.infra = infra;
        this.port = port;
        List<DirectorySnapshot> entries = List.of(
                new DirectorySnapshot.Domain(DOMAIN, List.of("fallback-alias.test")),
                new DirectorySnapshot.Account("alice@" + DOMAIN, "acc-fb-alice", "Alice", 0, true),
                new DirectorySnapshot.Account("bob@" + DOMAIN, "acc-fb-bob", "Bob", 0, true),
                new DirectorySnapshot.Account("carol@" + DOMAIN, "acc-fb-carol", "Carol", 0, false),
                new DirectorySnapshot.Alias("info@" + DOMAIN, List.of("alice@" + DOMAIN)),
                new DirectorySnapshot.Group("team@" + DOMAIN, List.of("alice@" + DOMAIN, "bob@" + DOMAIN)),
                new DirectorySnapshot.Group("empty@" + DOMAIN, List.of()));
        for (DirectorySnapshot s : entries) {
            state.apply(DirectoryChanged.upserted("smtp-test", 1, s));
        }
    }

    synchronized void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/internal/v1/", this::handle);
        server.start();
    }

    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    void hang(boolean on) {
        hang = on;
    }

    int requests() {
        return requests.get();
    }

    Set<String> tokensSeen() {
        return tokensSeen;
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            requests.incrementAndGet();
            if (hang) {
                sleep(15_000);
            }
            String auth = x.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Bearer ")) {
                send(x, 401, "{}");
                return;
            }
            String token = auth.substring("Bearer ".length());
            Integer verdict = verdicts.get(token);
            if (verdict == null) {
                verdict = introspect(token);
                verdicts.put(token, verdict);
            }
            if (verdict != 200) {
                send(x, verdict, "{}");
                return;
            }
            tokensSeen.add(token);
            Map<String, String> q = query(x.getRequestURI());
            String path = x.getRequestURI().getPath();
            if (path.equals("/internal/v1/resolve")) {
                EmailAddress a = EmailAddress.parse(q.get("address"));
                boolean local = a.domain() instanceof Domain d && state.isLocalDomain(d);
                Resolution r = state.resolve(a);
                String result;
                boolean temporary = false;
                if (r instanceof Resolution.Deliverable) {
                    result = "DELIVERABLE";
                } else if (r instanceof Resolution.NotLocal) {
                    result = "NOT_LOCAL";
                } else if (r instanceof Resolution.Unknown) {
                    result = "UNKNOWN";
                } else if (r instanceof Resolution.Disabled) {
                    result = "DISABLED";
                } else {
                    result = "UNRESOLVABLE";
                    temporary = ((Resolution.Unresolvable) r).temporary();
                }
                send(x, 200, JSON.writeValueAsString(Map.of("address", a.canonical(), "localDomain", local,
                        "result", result, "temporary", temporary)));
            } else if (path.equals("/internal/v1/senders")) {
                EmailAddress a = EmailAddress.parse(q.get("address"));
                String account = q.get("account");
                send(x, 200, JSON.writeValueAsString(Map.of("account", account, "address", a.canonical(),
                        "allowed", state.mayUseSender(account, a))));
            } else {
                send(x, 404, "{}");
            }
        }
    }

    /** 200 for an active token of the services' client with realm role mail-service, 401 or 403 otherwise. */
    private int introspect(String token) throws IOException {
        String form = "client_id=" + enc(infra.servicesClientId()) + "&client_secret=" + enc(infra.servicesSecret())
                + "&token=" + enc(token);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(infra.realmUrl()
                            + "/protocol/openid-connect/token/introspect"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(r.body());
            if (!body.path("active").asBoolean(false)) {
                return 401;
            }
            for (JsonNode role : body.path("realm_access").path("roles")) {
                if ("mail-service".equals(role.asText())) {
                    return 200;
                }
            }
            return 403;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private static void send(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
