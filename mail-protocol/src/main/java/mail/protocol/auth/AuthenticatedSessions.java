package mail.protocol.auth;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live sessions of each authenticated user, so that a password change, a disabled or a deleted account ends
 * them within moments instead of leaving an attacker who already got in connected for as long as he likes.
 */
public final class AuthenticatedSessions {
    private final Map<String, Set<Runnable>> byUser = new ConcurrentHashMap<>();

    /** A handle to remove a session again; closing it twice is harmless. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** @param revoke asks the session to end itself; called from the directory's thread, so it must only enqueue */
    public Registration register(String user, Runnable revoke) {
        String key = user.toLowerCase(Locale.ROOT);
        byUser.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(revoke);
        return () -> byUser.computeIfPresent(key, (k, set) -> {
            set.remove(revoke);
            return set.isEmpty() ? null : set;
        });
    }

    /** @return how many sessions were asked to end */
    public int revoke(String user) {
        Set<Runnable> set = byUser.get(user.toLowerCase(Locale.ROOT));
        if (set == null) {
            return 0;
        }
        int n = 0;
        for (Runnable r : Set.copyOf(set)) {
            r.run();
            n++;
        }
        return n;
    }

    public int count(String user) {
        Set<Runnable> set = byUser.get(user.toLowerCase(Locale.ROOT));
        return set == null ? 0 : set.size();
    }
}
