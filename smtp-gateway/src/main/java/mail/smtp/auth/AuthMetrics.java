package mail.smtp.auth;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counters of sender authentication: {@code smtp_auth_results_total{method, result}} per SPF (MAIL FROM), DKIM
 * signature and DMARC result, and {@code smtp_auth_decisions_total{decision}} (accept, junk, reject, defer).
 */
public final class AuthMetrics {
    private final MeterRegistry registry;

    public AuthMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void spf(String result) {
        result("spf", result);
    }

    void dkim(String result) {
        result("dkim", result);
    }

    void dmarc(String result) {
        result("dmarc", result);
    }

    private void result(String method, String result) {
        registry.counter("smtp.auth.results", "method", method, "result", result).increment();
    }

    void decision(AuthPolicy.Decision d) {
        String name = d instanceof AuthPolicy.Reject ? "reject" : d instanceof AuthPolicy.Defer ? "defer"
                : ((AuthPolicy.Accept) d).junkReason() != null ? "junk" : "accept";
        registry.counter("smtp.auth.decisions", "decision", name).increment();
    }
}
