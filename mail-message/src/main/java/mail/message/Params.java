package mail.message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

final class Params {
    private Params() {
    }

    /** Insertion order matters: IMAP lists parameters in the order the header gave them. */
    static Map<String, String> copy(Map<String, String> params) {
        if (params == null || params.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }
}
