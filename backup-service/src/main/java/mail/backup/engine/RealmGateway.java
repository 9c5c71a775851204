package mail.backup.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** The identity part of a backup: users (with attributes, roles, groups), groups and realm roles. */
public interface RealmGateway {

    JsonNode export();

    /**
     * Creates what is missing; never changes a user, group or role that exists.
     *
     * @param onlyUsernames restore only these users (lower case); null for all
     */
    Restored restore(JsonNode realm, java.util.Set<String> onlyUsernames);

    /**
     * @param userIds  old user id → id in the restored realm (new when the user had to be created)
     * @param warnings what could not be restored, said plainly (e.g. password hashes)
     */
    record Restored(Map<String, String> userIds, int usersCreated, List<String> warnings) {
    }
}
