package mail.imap.server;

import com.mongodb.client.MongoDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.ArrayList;
import java.util.List;
import mail.core.mongo.CollectionSpec;
import mail.core.runtime.SchemaContributor;
import mail.store.MailStore;
import mail.store.StoreSchema;
import mail.store.Subscriptions;

/** The mailbox store and its collections (created by the readiness check once MongoDB answers). */
@ApplicationScoped
public class StoreBeans implements SchemaContributor {

    @Override
    public List<CollectionSpec> collections() {
        List<CollectionSpec> all = new ArrayList<>(StoreSchema.collections());
        all.add(Subscriptions.schema());
        return all;
    }

    @Produces
    @ApplicationScoped
    MailStore mailStore(MongoDatabase db) {
        return new MailStore(db);
    }
}
