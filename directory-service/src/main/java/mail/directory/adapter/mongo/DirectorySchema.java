package mail.directory.adapter.mongo;

import com.mongodb.client.model.Indexes;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import mail.core.mongo.CollectionSpec;
import mail.core.mongo.CollectionSpec.IndexSpec;
import mail.core.runtime.SchemaContributor;

/** directory-service's collections; mail attributes live here, identity in Keycloak. */
@ApplicationScoped
public class DirectorySchema implements SchemaContributor {
    public static final String DOMAINS = "directory_domains";
    public static final String ENTRIES = "directory_entries";
    public static final String REVISIONS = "directory_revisions";
    public static final String PURGES = "directory_purges";

    @Override
    public List<CollectionSpec> collections() {
        return List.of(
                CollectionSpec.of(DOMAINS, IndexSpec.plain("dirty", Indexes.ascending("dirty"))),
                CollectionSpec.of(ENTRIES,
                        IndexSpec.plain("kind_domain", Indexes.ascending("kind", "domain")),
                        IndexSpec.plain("domain", Indexes.ascending("domain")),
                        IndexSpec.plain("dirty", Indexes.ascending("dirty"))),
                CollectionSpec.of(REVISIONS),
                CollectionSpec.of(PURGES, IndexSpec.plain("state", Indexes.ascending("state"))));
    }
}
