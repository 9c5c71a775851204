package mail.imap.session;

import java.util.function.BooleanSupplier;
import mail.core.directory.Directory;
import mail.core.identity.PasswordVerifier;
import mail.core.identity.TokenVerifier;
import mail.imap.config.ImapConfig;
import mail.imap.protocol.CommandDecoder;
import mail.protocol.auth.AuthThrottle;
import mail.protocol.auth.AuthenticatedSessions;

/** What every IMAP session shares: configuration and the adapters it talks to. */
public record ImapContext(ImapConfig config, CommandDecoder decoder, Directory directory, BooleanSupplier directoryLoaded,
                          PasswordVerifier passwords, TokenVerifier tokens, AuthThrottle authThrottle,
                          AuthenticatedSessions sessions, boolean tlsAvailable) {

    public String hostname() {
        return config.hostname();
    }
}
