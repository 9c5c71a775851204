package mail.core.identity;

/** Checks an OAuth 2 bearer token (SASL OAUTHBEARER, XOAUTH2) against the realm's signing keys. */
public interface TokenVerifier {
    AuthResult verify(String bearerToken) throws IdentityUnavailableException;
}
