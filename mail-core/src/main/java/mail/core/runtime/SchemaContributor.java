package mail.core.runtime;

import java.util.List;
import mail.core.mongo.CollectionSpec;

/** A service's MongoDB collections and indexes, created (idempotently) once MongoDB is reachable. */
public interface SchemaContributor {
    List<CollectionSpec> collections();
}
