package mail.smtp.directory;

import mail.core.directory.Resolution;

/** What the gateway needs to know about a recipient at RCPT time, whoever answered it. */
public enum RecipientStatus {
    DELIVERABLE,
    NOT_LOCAL,
    UNKNOWN,
    DISABLED,
    /** The address exists but leads to no mailbox (an empty group, say): a definite no. */
    NO_TARGETS,
    /** The expansion hit a limit: the directory must be fixed, so the sender should retry. */
    TEMPORARY,
    /** Neither the local cache nor directory-service could answer. */
    UNAVAILABLE;

    public static RecipientStatus of(Resolution r) {
        if (r instanceof Resolution.Deliverable) {
            return DELIVERABLE;
        }
        if (r instanceof Resolution.NotLocal) {
            return NOT_LOCAL;
        }
        if (r instanceof Resolution.Unknown) {
            return UNKNOWN;
        }
        if (r instanceof Resolution.Disabled) {
            return DISABLED;
        }
        return ((Resolution.Unresolvable) r).temporary() ? TEMPORARY : NO_TARGETS;
    }
}
