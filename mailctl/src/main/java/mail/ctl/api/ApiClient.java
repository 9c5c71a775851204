package mail.ctl.api;

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

/** The admin API over java.net.http; problem+json answers become {@link CliException}s with their detail. */
public final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final Session session;

    public ApiClient(String baseUrl, Session session) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.session = session;
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    public String getText(String path) {
        HttpResponse<String> r = exchange("GET", path, null, "text/plain");
        return r.body();
    }

    public JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    public JsonNode put(String path, Object body) {
        return send("PUT", path, body);
    }

    public JsonNode patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    public JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    public static String seg(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, Object body) {
        HttpResponse<String> r = exchange(method, path, body, "application/json");
        try {
            return r.body() == null || r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new CliException(CliException.API_ERROR, "the service answered something that is not JSON");
        }
    }

    private HttpResponse<String> exchange(String method, String path, Object body, String accept) {
        String token = Tokens.valid(session, http);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Accept", accept + ", application/problem+json");
        try {
            if (body != null) {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw problem(r);
            }
            return r;
        } catch (IOException e) {
            throw new CliException(CliException.UNAVAILABLE, "cannot reach the admin API at " + baseUrl + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.UNAVAILABLE, "interrupted");
        }
    }

    static CliException problem(HttpResponse<String> r) {
        int status = r.statusCode();
        String detail = "HTTP " + status;
        try {
            JsonNode p = JSON.readTree(r.body());
            String d = p.path("detail").asText(p.path("title").asText(detail));
            String field = p.path("field").asText(null);
            detail = d + (field != null ? " (field: " + field + ")" : "");
        } catch (IOException | RuntimeException e) {
            // not problem+json; keep the status line
        }
        int code = status == 401 || status == 403 ? CliException.AUTH
                : status >= 500 ? CliException.UNAVAILABLE : CliException.API_ERROR;
        if (status == 401) {
            detail += "; run 'mailctl login'";
        }
        return new CliException(code, "error " + status + ": " + detail);
    }
}
