package mail.backup.engine;

/** Where a running backup or restore is; called from the worker thread, read by the API. */
public interface Progress {
    void phase(String phase, long total);

    void advance(long done);

    /** Figures beyond done/total (an IMAP import's folders and bytes); shown as they are, replaced on each call. */
    default void counters(java.util.Map<String, Long> counters) {
    }

    Progress NONE = new Progress() {
        @Override
        public void phase(String phase, long total) {
        }

        @Override
        public void advance(long done) {
        }
    };
}
