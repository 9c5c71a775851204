package mail.smtp.session;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;
import mail.testsupport.SharedInfra;

/** The shared infrastructure with small rate limits on, in a database of its own, for loopback clients too. */
public final class RateLimitResource implements QuarkusTestResourceLifecycleManager {
    static final String DATABASE = "smtp_rate_limits_test";

    @Override
    public Map<String, String> start() {
        Map<String, String> cfg = new HashMap<>(SharedInfra.require(SharedInfra.ALL).quarkusConfig());
        cfg.put("mail.mongo.database", DATABASE);
        cfg.putAll(limits());
        return cfg;
    }

    static Map<String, String> limits() {
        Map<String, String> cfg = new HashMap<>();
        cfg.put("mail.smtp.rate-limits.enabled", "true");
        cfg.put("mail.smtp.rate-limits.exempt", "192.0.2.0/24");
        cfg.put("mail.smtp.rate-limits.mx-connections-per-minute", "3");
        cfg.put("mail.smtp.rate-limits.submission-connections-per-minute", "4");
        cfg.put("mail.smtp.rate-limits.mx-messages-per-hour", "2");
        cfg.put("mail.smtp.rate-limits.account-messages-per-hour", "3");
        cfg.put("mail.smtp.rate-limits.account-messages-per-day", "5");
        cfg.put("mail.smtp.rate-limits.account-recipients-per-hour", "4");
        cfg.put("mail.smtp.rate-limits.account-recipients-per-day", "10");
        // the store is answered on a busy machine too; the outage test shows what happens when it is not
        cfg.put("mail.smtp.rate-limits.timeout", "5s");
        return cfg;
    }

    @Override
    public void stop() {
    }
}
