package mail.core.identity;

/** Checks a user's password (SMTP AUTH PLAIN/LOGIN, IMAP LOGIN, POP3 USER/PASS). */
public interface PasswordVerifier {
    AuthResult verify(String username, String password) throws IdentityUnavailableException;
}
