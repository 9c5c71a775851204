package mail.smtp.directory;

import java.util.function.BooleanSupplier;
import mail.core.address.EmailAddress;
import mail.core.directory.Directory;

/**
 * The gateway's directory: the local cache fed by directory.changes once it has read the topic to its end, and
 * directory-service's lookup API before that (a fresh start, or a cache that cannot catch up). Without either
 * answer the gateway says 451 4.4.3, never accepting an unknown recipient.
 */
public final class GatewayDirectory {
    private final Directory cache;
    private final BooleanSupplier cacheLoaded;
    private final RemoteDirectory remote;

    /** @param remote null when the fallback is switched off */
    public GatewayDirectory(Directory cache, BooleanSupplier cacheLoaded, RemoteDirectory remote) {
        this.cache = cache;
        this.cacheLoaded = cacheLoaded;
        this.remote = remote;
    }

    public RecipientStatus recipient(EmailAddress address) {
        if (cacheLoaded.getAsBoolean()) {
            return RecipientStatus.of(cache.resolve(address));
        }
        return remote == null ? RecipientStatus.UNAVAILABLE : remote.recipient(address);
    }

    public SenderStatus sender(String account, EmailAddress address) {
        if (cacheLoaded.getAsBoolean()) {
            return cache.mayUseSender(account, address) ? SenderStatus.ALLOWED : SenderStatus.REFUSED;
        }
        return remote == null ? SenderStatus.UNAVAILABLE : remote.sender(account, address);
    }
}
