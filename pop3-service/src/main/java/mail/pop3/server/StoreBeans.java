package mail.pop3.server;

import com.mongodb.client.MongoDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import mail.core.blob.BlobStore;
import mail.core.mongo.CollectionSpec;
import mail.core.runtime.SchemaContributor;
import mail.pop3.config.Pop3Config;
import mail.pop3.maildrop.MaildropLock;
import mail.pop3.maildrop.WireSizes;
import mail.store.MailStore;
import mail.store.StoreSchema;

/** The mailbox store, the maildrop locks and their collections (created by the readiness check once MongoDB answers). */
@ApplicationScoped
public class StoreBeans implements SchemaContributor {

    @Override
    public List<CollectionSpec> collections() {
        List<CollectionSpec> all = new ArrayList<>(StoreSchema.collections());
        all.add(MaildropLock.collection());
        all.add(WireSizes.collection());
        return all;
    }

    @Produces
    @ApplicationScoped
    MailStore mailStore(MongoDatabase db) {
        return new MailStore(db);
    }

    @Produces
    @ApplicationScoped
    WireSizes wireSizes(MongoDatabase db, BlobStore blobs) {
        return new WireSizes(db, blobs);
    }

    @Produces
    @ApplicationScoped
    MaildropLock maildropLock(MongoDatabase db, Pop3Config config) {
        return new MaildropLock(db, config.lockLease(), InstantSource.system());
    }
}
