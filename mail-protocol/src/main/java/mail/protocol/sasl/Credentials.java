package mail.protocol.sasl;

/** The client has said who it is; the session verifies and then answers 235 or calls rejectCredentials(). */
public sealed interface Credentials extends SaslStep permits PasswordCredentials, BearerCredentials {
}
