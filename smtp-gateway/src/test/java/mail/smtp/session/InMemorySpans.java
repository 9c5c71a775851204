package mail.smtp.session;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * An in-process exporter of the real SDK, picked up by Quarkus as a CDI span exporter: it sees only what tracing is
 * on for (SmtpTransactionSpanTest's profile); with the SDK disabled, as in the other tests, it stays empty.
 */
final class InMemorySpans {
    InMemorySpans() {
    }

    @Produces
    @Singleton
    static InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
