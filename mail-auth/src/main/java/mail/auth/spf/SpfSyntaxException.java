package mail.auth.spf;

/** The record cannot be interpreted: check_host() answers permerror (RFC 7208 §4.6). */
final class SpfSyntaxException extends RuntimeException {
    SpfSyntaxException(String message) {
        super(message);
    }
}
