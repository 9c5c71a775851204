package mail.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import mail.core.blob.S3BlobStore;
import mail.core.event.BodyType;
import mail.core.event.MessageRef;
import mail.core.event.OutboundRequested;
import mail.core.event.Recipient;
import mail.core.event.Topics;
import mail.core.kafka.EventPublisher;
import mail.core.kafka.KafkaEventPublisher;
import mail.relay.queue.EntryState;
import mail.relay.queue.OutboundQueue;
import mail.testsupport.InfraEndpoints;
import mail.testsupport.InfraTestResource;
import mail.testsupport.SharedInfra;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Not part of the build's test run (surefire does not pick up *Benchmark): how many messages per second one relay copy
 * takes from mail.outbound to a loopback receiver. Run with
 * {@code ./mvnw -B -ntp -pl outbound-relay verify -Dtest=RelayThroughputBenchmark -Dbench.messages=500}.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = Receivers.class, restrictToAnnotatedClass = true)
class RelayThroughputBenchmark {

    @Inject
    OutboundQueue queue;

    @Test
    void messagesPerSecondToOneDestination() throws Exception {
        int n = Integer.getInteger("bench.messages", 500);
        InfraEndpoints infra = SharedInfra.require("kafka", "mongo", "s3", "keycloak");
        S3BlobStore blobs = S3BlobStore.create(infra.s3Endpoint(), infra.s3AccessKey(), infra.s3SecretKey(), "us-east-1", "mail-messages");
        blobs.ensureBucket();
        StringBuilder body = new StringBuilder("From: <bench@example.test>\r\nTo: <x@reject.test>\r\nSubject: bench\r\n\r\n");
        while (body.length() < 10_000) {
            body.append("The quick brown fox jumps over the lazy dog, again and again.\r\n");
        }
        MessageRef ref = blobs.put(new ByteArrayInputStream(body.toString().getBytes(StandardCharsets.US_ASCII)));
        int port = ConfigProvider.getConfig().getValue("test.port.reject", Integer.class);
        try (ScriptedSmtpServer receiver = new ScriptedSmtpServer(port);
             KafkaEventPublisher publisher = KafkaEventPublisher.create(infra.kafkaBootstrap(), "relay-bench", Duration.ofSeconds(30))) {
            List<String> ids = new ArrayList<>();
            List<CompletableFuture<EventPublisher.Published>> sent = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Instant now = Instant.now();
                OutboundRequested r = new OutboundRequested(UUID.randomUUID().toString(), "bench", now, UUID.randomUUID().toString(), ref,
                        "bench@example.test", "reject.test", List.of(Recipient.of("a" + i + "@reject.test"), Recipient.of("b" + i + "@reject.test")),
                        null, null, BodyType.SEVEN_BIT, false, null, 1, now, now);
                ids.add(r.id());
                sent.add(publisher.publish(Topics.MAIL_OUTBOUND, r.kafkaKey(), r));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).until(() -> receiver.messages.size() >= n);
            double seconds = (System.nanoTime() - start) / 1e9;
            await().atMost(Duration.ofMinutes(1)).until(() -> ids.stream().allMatch(id -> queue.find(id)
                    .map(e -> e.state() == EntryState.DONE).orElse(false)));
            System.out.printf("BENCH relay: %d messages (2 recipients, 10 KB) in %.1f s = %.1f msg/s; %d SMTP connections%n", n, seconds,
                    n / seconds, receiver.connections.get());
            assertThat(receiver.messages).hasSize(n);
        }
    }
}
