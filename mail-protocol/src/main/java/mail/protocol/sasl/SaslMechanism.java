package mail.protocol.sasl;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The server side of one SMTP AUTH exchange (RFC 4954). The session creates one instance per AUTH command,
 * calls {@link #start} with the initial response if the command had one, sends each {@link SaslStep.Challenge}
 * as a 334 reply and passes the client's next line (without CRLF) to {@link #step}, until it gets
 * {@link Credentials} to verify or a {@link SaslStep.Failure} to reply with.
 *
 * <p>When verification fails the session calls {@link #rejectCredentials()}: the bearer mechanisms answer with a
 * JSON error challenge that the client must acknowledge before the 535, the password ones fail at once.
 *
 * <p>Not thread-safe; each call after the exchange has ended throws {@link IllegalStateException}.
 */
public sealed interface SaslMechanism permits SaslPlain, SaslLogin, SaslOAuthBearer, SaslXOAuth2 {

    /** RFC 4954 §4: servers must accept response lines of 12288 octets; longer ones end the exchange. */
    int MAX_LINE_LENGTH = 12288;

    /** In the order the session should advertise them in EHLO. */
    List<String> NAMES = List.of(SaslPlain.NAME, SaslLogin.NAME, SaslOAuthBearer.NAME, SaslXOAuth2.NAME);

    /** A fresh exchange for the mechanism named in AUTH (case-insensitive), or empty for 504 5.5.4. */
    static Optional<SaslMechanism> create(String name, OAuthErrorDetails oauthError) {
        switch (name.toUpperCase(Locale.ROOT)) {
            case SaslPlain.NAME:
                return Optional.of(new SaslPlain());
            case SaslLogin.NAME:
                return Optional.of(new SaslLogin());
            case SaslOAuthBearer.NAME:
                return Optional.of(new SaslOAuthBearer(oauthError));
            case SaslXOAuth2.NAME:
                return Optional.of(new SaslXOAuth2(oauthError));
            default:
                return Optional.empty();
        }
    }

    String name();

    /**
     * @param initialResponse the second argument of AUTH exactly as sent ("=" is the empty response), or empty if
     *                        the command had none
     */
    SaslStep start(Optional<String> initialResponse);

    /** The client's answer to the last challenge; "*" cancels. */
    SaslStep step(String clientLine);

    /** After {@link Credentials} were refused: the next step to send (an error challenge or the final failure). */
    SaslStep rejectCredentials();
}
