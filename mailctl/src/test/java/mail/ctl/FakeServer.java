package mail.ctl;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the admin API and the realm's token endpoint in mailctl's unit tests: canned answers per
 * "METHOD path", and a record of every request (method, path, Authorization header, body).
 */
final class FakeServer implements AutoCloseable {
    record Request(String method, String path, String authorization, String body) {
    }

    record Answer(int status, String contentType, String body) {
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final HttpServer server;

    FakeServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Authorization"), body));
            Answer a = answers.getOrDefault(ex.getRequestMethod() + " " + path,
                    new Answer(404, "application/problem+json", "{\"type\":\"urn:mailplatform:problem:not-found\",\"status\":404,\"detail\":\"no such resource\"}"));
            byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", a.contentType());
            ex.sendResponseHeaders(a.status(), a.status() == 204 ? -1 : bytes.length);
            if (a.status() != 204) {
                ex.getResponseBody().write(bytes);
            }
            ex.close();
        });
        server.start();
    }

    FakeServer answer(String methodAndPath, int status, String body) {
        answers.put(methodAndPath, new Answer(status, status >= 400 ? "application/problem+json" : "application/json", body));
        return this;
    }

    FakeServer answerText(String methodAndPath, String body) {
        answers.put(methodAndPath, new Answer(200, "text/plain", body));
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
