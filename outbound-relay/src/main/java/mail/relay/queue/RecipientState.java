package mail.relay.queue;

/** Where one recipient of a queued message stands; DELIVERED and FAILED are final. */
public enum RecipientState {
    PENDING, DELIVERED, FAILED;

    public boolean isFinal() {
        return this != PENDING;
    }
}
