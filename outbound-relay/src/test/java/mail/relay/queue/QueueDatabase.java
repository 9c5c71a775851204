package mail.relay.queue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import mail.core.event.BodyType;
import mail.core.event.MessageRef;
import mail.core.event.OutboundRequested;
import mail.core.event.Recipient;
import mail.core.mongo.MongoSchema;
import mail.relay.adapter.mongo.MongoOutboundQueue;
import mail.testsupport.SharedInfra;

/** The outbound queue in a database of its own on the build's MongoDB-compatible server, dropped when closed. */
final class QueueDatabase implements AutoCloseable {
    private final MongoClient client;
    private final MongoDatabase db;
    final MongoOutboundQueue queue;

    QueueDatabase(String prefix) {
        client = MongoClients.create(SharedInfra.require("mongo").mongoUri());
        db = client.getDatabase(prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
        MongoSchema.ensure(db, List.of(MongoOutboundQueue.spec()));
        queue = new MongoOutboundQueue(db);
    }

    /** A fresh request from a@example.test to b@ and c@ the domain, received now. */
    static OutboundRequested request(String domain) {
        Instant now = Instant.now();
        MessageRef ref = MessageRef.of("0".repeat(63) + "1", 3);
        return new OutboundRequested(UUID.randomUUID().toString(), "test/relay", now, UUID.randomUUID().toString(), ref,
                "a@example.test", domain, List.of(Recipient.of("b@" + domain), Recipient.of("c@" + domain)), null, null,
                BodyType.SEVEN_BIT, false, null, 1, now, now);
    }

    @Override
    public void close() {
        db.drop();
        client.close();
    }
}
