package mail.core.event;

/** RFC 3461 RET: whether a DSN returns the full message or only its headers. */
public enum DsnReturn {
    FULL,
    HDRS
}
