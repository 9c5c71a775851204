package mail.store;

/**
 * Where a message ended up.
 *
 * @param created false when the delivery key was already stored (a redelivery): uid and modSeq are then those of
 *                the existing copy
 */
public record StoredMessage(String messageId, String mailboxId, long uid, long modSeq, boolean created) {
}
