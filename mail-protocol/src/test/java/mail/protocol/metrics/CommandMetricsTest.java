package mail.protocol.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CommandMetricsTest {

    @Test
    void knownVerbsInAnyCaseHaveTheirSeriesAndEverythingElseIsOther() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        CommandMetrics m = CommandMetrics.smtp(r, Set.of("EHLO", "MAIL"));
        m.command("ehlo");
        m.command("MAIL");
        m.command("Mail");
        for (int i = 0; i < 50; i++) {
            m.command("X" + UUID.randomUUID());
        }
        m.command(null);
        m.command("");
        assertThat(r.get("mail.smtp.commands").tag("command", "EHLO").counter().count()).isEqualTo(1);
        assertThat(r.get("mail.smtp.commands").tag("command", "MAIL").counter().count()).isEqualTo(2);
        assertThat(r.get("mail.smtp.commands").tag("command", "other").counter().count()).isEqualTo(52);
        // the known verbs and "other": nothing a client sends adds a series
        assertThat(r.find("mail.smtp.commands").counters()).hasSize(3);
    }

    @Test
    void smtpRepliesByExactCodeAndClassAndNonsenseCodesAsOther() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        CommandMetrics m = CommandMetrics.smtp(r, Set.of());
        m.code(250);
        m.code(250);
        m.code(451);
        m.code(999);
        m.code(-1);
        assertThat(r.get("mail.smtp.replies").tags("code", "250", "class", "2xx").counter().count()).isEqualTo(2);
        assertThat(r.get("mail.smtp.replies").tags("code", "451", "class", "4xx").counter().count()).isEqualTo(1);
        assertThat(r.get("mail.smtp.replies").tags("code", "other", "class", "other").counter().count()).isEqualTo(2);
    }

    @Test
    void statusRepliesAreCountedPerStatus() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        CommandMetrics m = CommandMetrics.imap(r, Set.of("LOGIN"));
        m.status("OK");
        m.status("NO");
        m.status("OK");
        assertThat(r.get("mail.imap.replies").tag("status", "OK").counter().count()).isEqualTo(2);
        assertThat(r.get("mail.imap.replies").tag("status", "NO").counter().count()).isEqualTo(1);
    }

    @Test
    void theVerbIsTheFirstWordOnlySoCredentialsAreNeverLookedAt() {
        assertThat(CommandMetrics.verb("PASS secret words")).isEqualTo("PASS");
        assertThat(CommandMetrics.verb("AUTH PLAIN AGFsaWNl")).isEqualTo("AUTH");
        assertThat(CommandMetrics.verb("NOOP")).isEqualTo("NOOP");
        assertThat(CommandMetrics.verb(" leading")).isNull();
        assertThat(CommandMetrics.verb(null)).isNull();
        assertThat(CommandMetrics.verb("A".repeat(100))).hasSize(16);
    }
}
