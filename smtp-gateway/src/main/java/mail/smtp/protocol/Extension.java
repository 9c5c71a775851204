package mail.smtp.protocol;

/**
 * The advertised ESMTP extensions that change what MAIL and RCPT may carry. A parameter belonging
 * to an extension the listener did not advertise is answered like an unknown one, with 555
 * (RFC 5321 §4.1.1.11). Extensions that only add commands or replies (PIPELINING, STARTTLS,
 * CHUNKING, ENHANCEDSTATUSCODES) are the session's business and are not listed.
 */
public enum Extension {
    /** RFC 1870: {@code SIZE=}. */
    SIZE,
    /** RFC 6152: {@code BODY=7BIT} and {@code BODY=8BITMIME}. */
    EIGHT_BIT_MIME,
    /** RFC 3030: {@code BODY=BINARYMIME}; only meaningful together with CHUNKING. */
    BINARY_MIME,
    /** RFC 3461: {@code RET=}, {@code ENVID=}, {@code NOTIFY=}, {@code ORCPT=}. */
    DSN,
    /** RFC 6531: {@code SMTPUTF8} and UTF-8 addresses. */
    SMTPUTF8,
    /** RFC 4954 §5: {@code AUTH=} on MAIL. */
    AUTH
}
