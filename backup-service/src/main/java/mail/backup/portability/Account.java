package mail.backup.portability;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.client.MongoDatabase;
import java.util.Locale;
import java.util.Optional;
import org.bson.Document;

/**
 * The account an export or import is for, as directory-service keeps it ({@code directory_entries}, the layout the
 * restore also reads): its id in the mailbox store and its quota.
 *
 * @param quotaBytes    0 for unlimited
 * @param quotaMessages 0 for unlimited
 */
public record Account(String id, String address, long quotaBytes, long quotaMessages) {
    static final String ENTRIES = "directory_entries";

    /** By address (any case) or by account id; only live accounts. */
    public static Optional<Account> find(MongoDatabase db, String given) {
        String g = given.trim();
        Document d = db.getCollection(ENTRIES).find(and(eq("kind", "ACCOUNT"),
                or(eq("address", g.toLowerCase(Locale.ROOT)), eq("address", g), eq("accountId", g)))).first();
        if (d == null || Boolean.TRUE.equals(d.getBoolean("deleted")) || d.getString("accountId") == null) {
            return Optional.empty();
        }
        return Optional.of(new Account(d.getString("accountId"), d.getString("address"), number(d, "quotaBytes"),
                number(d, "quotaMessages")));
    }

    private static long number(Document d, String field) {
        Object v = d.get(field);
        return v instanceof Number n ? Math.max(0, n.longValue()) : 0;
    }
}
