package mail.relay.adapter.mongo;

/**
 * Runs the queue's schema creation once per copy, before its first write: the feed's first insert and the workers'
 * first claim both pass here, one at a time, and a failure (MongoDB down) is retried by whoever comes next. Creating
 * the collection from several threads at once, or writing to it while its indexes are being built, corrupts the
 * local MongoDB-compatible server's copy of it (see MongoSchema).
 */
public final class SchemaGate implements Runnable {
    private final Runnable create;
    private volatile boolean done;

    public SchemaGate(Runnable create) {
        this.create = create;
    }

    @Override
    public void run() {
        if (done) {
            return;
        }
        synchronized (this) {
            if (!done) {
                create.run();
                done = true;
            }
        }
    }
}
