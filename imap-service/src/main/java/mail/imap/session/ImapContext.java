package mail.imap.session;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.function.BooleanSupplier;
import mail.core.blob.BlobStore;
import mail.core.directory.Directory;
import mail.core.identity.PasswordVerifier;
import mail.core.identity.TokenVerifier;
import mail.core.kafka.EventPublisher;
import mail.imap.adapter.kafka.MailboxChangeFeed;
import mail.imap.config.ImapConfig;
import mail.imap.fetch.FetchRenderer;
import mail.imap.protocol.CommandDecoder;
import mail.imap.search.MessageSearch;
import mail.message.MessageParser;
import mail.protocol.auth.AuthThrottle;
import mail.protocol.auth.AuthenticatedSessions;
import mail.protocol.metrics.CommandMetrics;
import mail.store.MailStore;
import mail.store.MailboxOperations;

/**
 * What every IMAP session shares: configuration and the adapters it talks to.
 *
 * @param changes    null only in tests without Kafka; sessions then notice changes on NOOP and IDLE polls
 * @param instanceId names this instance in published events
 */
public record ImapContext(ImapConfig config, CommandDecoder decoder, Directory directory, BooleanSupplier directoryLoaded,
                          PasswordVerifier passwords, TokenVerifier tokens, AuthThrottle authThrottle,
                          AuthenticatedSessions sessions, boolean tlsAvailable, MailStore store, MailboxOperations ops,
                          BlobStore blobs, MessageParser parser, EventPublisher publisher, MailboxChangeFeed changes,
                          Path spoolDir, String instanceId, FetchRenderer fetchRenderer, MessageSearch search,
                          ZoneId zone, CommandMetrics metrics) {

    public String hostname() {
        return config.hostname();
    }
}
