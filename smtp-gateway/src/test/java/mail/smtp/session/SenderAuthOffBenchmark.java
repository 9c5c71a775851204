package mail.smtp.session;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import mail.smtp.server.SmtpServer;
import mail.testsupport.InfraTestResource;
import org.junit.jupiter.api.Test;

/** {@link SenderAuthBenchmark} with sender authentication off (the test profile's default). */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class SenderAuthOffBenchmark {
    @Inject
    SmtpServer server;

    @Test
    void checksOff() throws Exception {
        SenderAuthBenchmark.run(server, "off");
    }
}
