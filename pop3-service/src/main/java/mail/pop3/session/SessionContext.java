package mail.pop3.session;

import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import mail.core.blob.BlobStore;
import mail.core.directory.Directory;
import mail.core.identity.PasswordVerifier;
import mail.core.identity.TokenVerifier;
import mail.core.kafka.EventPublisher;
import mail.pop3.config.Pop3Config;
import mail.pop3.maildrop.MaildropLock;
import mail.pop3.maildrop.WireSizes;
import mail.protocol.auth.AuthThrottle;
import mail.protocol.auth.AuthenticatedSessions;
import mail.protocol.metrics.CommandMetrics;
import mail.store.MailStore;

/** What every POP3 session shares: configuration and the adapters it talks to. */
public record SessionContext(Pop3Config config, Directory directory, BooleanSupplier directoryLoaded, PasswordVerifier passwords,
                             TokenVerifier tokens, AuthThrottle authThrottle, AuthenticatedSessions sessions, MailStore store,
                             MaildropLock lock, WireSizes wireSizes, BlobStore blobs, EventPublisher publisher, ScheduledExecutorService timer,
                             String instanceId, CommandMetrics metrics) {
}
