package mail.directory.api;

import java.util.List;

/** One page of a list; {@code next} is passed as {@code ?after=} for the following page, null on the last one. */
public record Page<T>(List<T> items, String next) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public static int limit(int requested) {
        if (requested == 0) {
            return DEFAULT_LIMIT;
        }
        if (requested < 0 || requested > MAX_LIMIT) {
            throw ApiException.invalid("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        return requested;
    }
}
