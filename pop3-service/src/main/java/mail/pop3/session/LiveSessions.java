package mail.pop3.session;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The logged-in sessions of each account address, so that a password change, a disabled or a deleted account ends
 * them at once. (The same bookkeeping as smtp-gateway's AuthenticatedSessions, which belongs in mail-protocol.)
 */
public final class LiveSessions {
    private final Map<String, Set<Runnable>> byUser = new ConcurrentHashMap<>();

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

    public int revoke(String user) {
        Set<Runnable> set = byUser.get(user.toLowerCase(Locale.ROOT));
        if (set == null) {
            return 0;
        }
        Set.copyOf(set).forEach(Runnable::run);
        return set.size();
    }

    public int count(String user) {
        Set<Runnable> set = byUser.get(user.toLowerCase(Locale.ROOT));
        return set == null ? 0 : set.size();
    }
}
