package mail.relay.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import mail.core.address.Domain;
import mail.core.blob.BlobStore;
import mail.core.event.OutboundRequested;
import mail.message.dkim.DkimMessageException;
import mail.message.dkim.DkimSigner;
import mail.message.dkim.DkimSigningKey;
import mail.relay.queue.QueueEntry;
import mail.relay.worker.MessageSigner;
import org.jboss.logging.Logger;

/**
 * Signs with the keys of the envelope sender's domain (RFC 6376, relaxed/relaxed; one signature per key, so a domain
 * with rsa and ed25519 keys gets both). Mail from a domain without keys, and bounces (null sender), go out unsigned.
 */
public final class DkimMessageSigner implements MessageSigner {
    private static final Logger LOG = Logger.getLogger(DkimMessageSigner.class);

    private final DirectoryDkimKeys keys;
    private final BlobStore blobs;
    private final DkimSigner signer = new DkimSigner();
    private final Set<String> reportedUnsigned = ConcurrentHashMap.newKeySet();

    public DkimMessageSigner(DirectoryDkimKeys keys, BlobStore blobs) {
        this.keys = keys;
        this.blobs = blobs;
    }

    @Override
    public String prefix(QueueEntry entry) throws IOException {
        OutboundRequested r = entry.request();
        if (r.hasNullSender()) {
            return "";
        }
        String domain;
        try {
            // the key API and d= speak A-labels
            domain = Domain.parse(r.reversePath().substring(r.reversePath().lastIndexOf('@') + 1)).asciiForm();
        } catch (IllegalArgumentException e) {
            // an address literal or a name no directory holds: nothing to sign with
            return "";
        }
        List<DkimSigningKey> domainKeys = keys.keys(domain);
        if (domainKeys.isEmpty()) {
            if (reportedUnsigned.add(domain)) {
                LOG.infof("no DKIM key for %s: its mail goes out unsigned", domain);
            }
            return "";
        }
        try (InputStream in = blobs.get(r.message())) {
            return signer.sign(in, domainKeys);
        } catch (DkimMessageException e) {
            // a message DKIM cannot sign (no single From) is still the sender's to send; receivers judge it unsigned
            LOG.warnf("%s not DKIM-signed: %s", entry.id(), e.getMessage());
            return "";
        }
    }
}
