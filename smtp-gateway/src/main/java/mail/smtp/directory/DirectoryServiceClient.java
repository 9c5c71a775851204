package mail.smtp.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import mail.core.address.EmailAddress;
import mail.core.identity.ServiceToken;
import mail.core.text.LogText;
import org.jboss.logging.Logger;

/**
 * directory-service's internal lookup API ({@code /internal/v1/resolve}, {@code /internal/v1/senders}), called with
 * a client-credentials token of the services' client (realm role {@code mail-service}). Answers are cached briefly;
 * a failure (unreachable, timeout, refused token, unexpected answer) is {@code UNAVAILABLE} and is not cached.
 */
public final class DirectoryServiceClient implements RemoteDirectory {
    private static final Logger LOG = Logger.getLogger(DirectoryServiceClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the API is, how long to wait for it, and how long to keep its answers. */
    public record Settings(String baseUrl, Duration timeout, Duration positiveTtl, Duration negativeTtl, int cacheSize) {
    }

    private final HttpClient http;
    private final String baseUrl;
    private final Duration timeout;
    private final Duration positiveTtl;
    private final Duration negativeTtl;
    private final ServiceToken token;
    private final TtlCache<String, RecipientStatus> recipients;
    private final TtlCache<String, SenderStatus> senders;
    private final AtomicLong requests = new AtomicLong();

    public DirectoryServiceClient(Settings settings, String realmUrl, String clientId, String clientSecret, InstantSource clock) {
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
        this.baseUrl = settings.baseUrl().replaceAll("/+$", "");
        this.timeout = settings.timeout();
        this.positiveTtl = settings.positiveTtl();
        this.negativeTtl = settings.negativeTtl();
        this.token = new ServiceToken(http, realmUrl, clientId, clientSecret, settings.timeout(), clock);
        this.recipients = new TtlCache<>(clock, settings.cacheSize());
        this.senders = new TtlCache<>(clock, settings.cacheSize());
    }

    @Override
    public RecipientStatus recipient(EmailAddress address) {
        String key = address.canonical();
        RecipientStatus cached = recipients.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = ask("/internal/v1/resolve?address=" + encode(address.toString()));
        if (answer == null) {
            return RecipientStatus.UNAVAILABLE;
        }
        RecipientStatus status = recipientStatus(answer);
        if (status != RecipientStatus.UNAVAILABLE) {
            recipients.put(key, status, status == RecipientStatus.DELIVERABLE ? positiveTtl : negativeTtl);
        }
        return status;
    }

    @Override
    public SenderStatus sender(String account, EmailAddress address) {
        String key = account.toLowerCase(java.util.Locale.ROOT) + " " + address.canonical();
        SenderStatus cached = senders.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = ask("/internal/v1/senders?account=" + encode(account) + "&address=" + encode(address.toString()));
        if (answer == null || !answer.path("allowed").isBoolean()) {
            return SenderStatus.UNAVAILABLE;
        }
        SenderStatus status = answer.path("allowed").asBoolean() ? SenderStatus.ALLOWED : SenderStatus.REFUSED;
        senders.put(key, status, status == SenderStatus.ALLOWED ? positiveTtl : negativeTtl);
        return status;
    }

    /** Lookups sent to directory-service (cache misses), for tests and metrics. */
    public long requests() {
        return requests.get();
    }

    public long tokensFetched() {
        return token.fetched();
    }

    private static RecipientStatus recipientStatus(JsonNode answer) {
        String result = answer.path("result").asText("");
        switch (result) {
            case "DELIVERABLE":
                return RecipientStatus.DELIVERABLE;
            case "NOT_LOCAL":
                return RecipientStatus.NOT_LOCAL;
            case "UNKNOWN":
                return RecipientStatus.UNKNOWN;
            case "DISABLED":
                return RecipientStatus.DISABLED;
            case "UNRESOLVABLE":
                return answer.path("temporary").asBoolean(true) ? RecipientStatus.TEMPORARY : RecipientStatus.NO_TARGETS;
            default:
                LOG.warnf("directory-service answered an unknown lookup result %s", LogText.quote(result, 40));
                return RecipientStatus.UNAVAILABLE;
        }
    }

    /** @return the JSON answer, or null when there is none to trust */
    private JsonNode ask(String pathAndQuery) {
        for (int attempt = 0; attempt < 2; attempt++) {
            String bearer;
            try {
                bearer = token.get();
            } catch (IOException e) {
                LOG.warnf("directory lookup impossible: no service token (%s)", e.getMessage());
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            HttpResponse<String> r;
            try {
                requests.incrementAndGet();
                r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(timeout)
                        .header("Authorization", "Bearer " + bearer).header("Accept", "application/json").GET().build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                LOG.warnf("directory-service unreachable for a lookup: %s", e.getClass().getSimpleName());
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            if (r.statusCode() == 401 && attempt == 0) {
                token.discard(bearer); // expired or revoked early: one retry with a fresh token
                continue;
            }
            if (r.statusCode() != 200) {
                // 403: the services' client lacks realm role mail-service, a deployment fault worth an alarm
                LOG.warnf("directory-service refused a lookup: HTTP %d", r.statusCode());
                return null;
            }
            try {
                return JSON.readTree(r.body());
            } catch (IOException e) {
                LOG.warn("directory-service answered a lookup with malformed JSON");
                return null;
            }
        }
        return null;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
