package mail.core.event;

/** RFC 3461 NOTIFY values. NEVER excludes the others; an empty set means the parameter was not given. */
public enum DsnNotify {
    NEVER,
    SUCCESS,
    FAILURE,
    DELAY
}
