package mail.imap.server;

import com.mongodb.client.MongoDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.List;
import mail.core.mongo.CollectionSpec;
import mail.core.runtime.SchemaContributor;
import mail.store.MailStore;
import mail.store.StoreSchema;

/** The mailbox store and its collections (created by the readiness check once MongoDB answers). */
@ApplicationScoped
public class StoreBeans implements SchemaContributor {

    @Override
    public List<CollectionSpec> collections() {
        return StoreSchema.collections();
    }

    @Produces
    @ApplicationScoped
    MailStore mailStore(MongoDatabase db) {
        return new MailStore(db);
    }
}
