package mail.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mail.devinfra.Infra;
import mail.devinfra.StartupException;
import mail.devinfra.StateFile;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local infrastructure keeps its data across a restart on the same data directory, as the local platform does:
 * documents, objects, Kafka records and committed consumer offsets. (Keycloak's H2 file is checked by the launcher's
 * end-to-end script; it costs half a minute per start.)
 */
class InfraRestartTest {
    private static final Set<String> SERVERS = Set.of("kafka", "mongo", "s3");

    @Test
    void dataSurvivesARestart(@TempDir Path data) throws Exception {
        Infra.Ports ports = Infra.Ports.free();
        Infra.Credentials creds = Infra.Credentials.fromEnvironment();
        String kafka = "127.0.0.1:" + ports.kafka();
        String mongo = "mongodb://127.0.0.1:" + ports.mongo();
        String s3 = "http://127.0.0.1:" + ports.s3();

        try (Infra first = new Infra(data, ports, creds, new StateFile(data.resolve("state.properties")), true, SERVERS)) {
            first.start();
            try (MongoClient c = MongoClients.create(mongo)) {
                c.getDatabase("restart").getCollection("probe").insertOne(new Document("_id", "kept").append("n", 7));
            }
            MinioClient m = minio(s3, creds);
            m.makeBucket(MakeBucketArgs.builder().bucket("restart").build());
            byte[] body = "byte-exact\r\nbody".getBytes(StandardCharsets.UTF_8);
            m.putObject(PutObjectArgs.builder().bucket("restart").object("sha256/x").stream(new ByteArrayInputStream(body), body.length, -1).build());
            try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                p.send(new ProducerRecord<>("restart", 0, "k", "one")).get();
                p.send(new ProducerRecord<>("restart", 0, "k", "two")).get();
            }
            try (KafkaConsumer<String, String> c = consumer(kafka)) {
                c.commitSync(Map.of(new TopicPartition("restart", 0), new OffsetAndMetadata(1)));
            }
        }

        try (Infra second = new Infra(data, ports, creds, new StateFile(data.resolve("state.properties")), true, SERVERS)) {
            second.start();
            try (MongoClient c = MongoClients.create(mongo)) {
                Document d = c.getDatabase("restart").getCollection("probe").find(new Document("_id", "kept")).first();
                assertThat(d).isNotNull();
                assertThat(d.getInteger("n")).isEqualTo(7);
            }
            MinioClient m = minio(s3, creds);
            assertThat(m.bucketExists(BucketExistsArgs.builder().bucket("restart").build())).isTrue();
            try (InputStream in = m.getObject(GetObjectArgs.builder().bucket("restart").object("sha256/x").build())) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("byte-exact\r\nbody");
            }
            try (KafkaConsumer<String, String> c = consumer(kafka)) {
                c.subscribe(List.of("restart"));
                List<String> values = new ArrayList<>();
                long deadline = System.currentTimeMillis() + 30_000;
                while (values.isEmpty() && System.currentTimeMillis() < deadline) {
                    c.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
                }
                assertThat(values).as("resumes after the committed offset").containsExactly("two");
            }
        }
    }

    @Test
    void aCorruptDataFileIsReportedByNameAndNothingIsLeftRunning(@TempDir Path data) throws Exception {
        Files.createDirectories(data.resolve("mongo"));
        Files.write(data.resolve("mongo/mongo.mv"), "this is not an H2 store".repeat(500).getBytes(StandardCharsets.UTF_8));
        Infra.Ports ports = Infra.Ports.free();
        Infra infra = new Infra(data, ports, Infra.Credentials.fromEnvironment(), new StateFile(data.resolve("state.properties")),
                true, Set.of("mongo", "s3"));
        try {
            assertThatThrownBy(infra::start).isInstanceOf(StartupException.class)
                    .hasMessageContaining("mongo").hasMessageContaining("mongo.mv");
        } finally {
            infra.close();
        }
        assertThat(mail.devinfra.LocalProcess.portFree(ports.mongo())).isTrue();
        assertThat(mail.devinfra.LocalProcess.portFree(ports.s3())).isTrue();
    }

    private static MinioClient minio(String endpoint, Infra.Credentials creds) {
        return MinioClient.builder().endpoint(endpoint).credentials(creds.s3AccessKey(), creds.s3SecretKey()).region("us-east-1").build();
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "restart-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new StringDeserializer(), new StringDeserializer());
    }
}
