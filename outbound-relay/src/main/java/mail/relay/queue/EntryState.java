package mail.relay.queue;

/**
 * A queued message's state. QUEUED: not tried yet; DEFERRED: a temporary failure, waiting for its next attempt;
 * BOUNCING: every recipient is final and a DSN still has to be handed on; DONE: nothing left to do (kept for the admin
 * API until it expires).
 */
public enum EntryState {
    QUEUED, DEFERRED, BOUNCING, DONE;

    public boolean isActive() {
        return this != DONE;
    }
}
