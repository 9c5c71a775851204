package mail.delivery.adapter.mongo;

import com.mongodb.client.MongoDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.ArrayList;
import java.util.List;
import mail.core.mongo.CollectionSpec;
import mail.core.runtime.SchemaContributor;
import mail.delivery.config.DeliveryConfig;
import mail.delivery.local.CreationAnnouncements;
import mail.store.MailStore;
import mail.store.StoreSchema;

/** The mailbox store, the announcement marks and their collections, created by the readiness check once MongoDB answers. */
@ApplicationScoped
public class StoreBeans implements SchemaContributor {

    @Override
    public List<CollectionSpec> collections() {
        List<CollectionSpec> all = new ArrayList<>(StoreSchema.collections());
        all.add(MongoCreationAnnouncements.spec());
        return all;
    }

    @Produces
    @ApplicationScoped
    MailStore mailStore(MongoDatabase db, DeliveryConfig config) {
        return new MailStore(db, config.mailboxLease(), config.mailboxWait());
    }

    @Produces
    @ApplicationScoped
    CreationAnnouncements creationAnnouncements(MongoDatabase db) {
        return new MongoCreationAnnouncements(db);
    }
}
