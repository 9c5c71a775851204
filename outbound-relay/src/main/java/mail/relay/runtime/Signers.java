package mail.relay.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.net.http.HttpClient;
import java.time.Clock;
import mail.core.blob.BlobStore;
import mail.core.identity.ServiceToken;
import mail.core.runtime.InfraConfig;
import mail.relay.config.RelayConfig;
import mail.relay.dkim.DirectoryDkimKeys;
import mail.relay.dkim.DkimMessageSigner;
import mail.relay.worker.MessageSigner;

/** DKIM signing with the directory's keys, unless switched off (then messages go out as stored). */
@ApplicationScoped
public class Signers {
    @Produces
    @ApplicationScoped
    MessageSigner signer(RelayConfig config, InfraConfig.Keycloak keycloak, BlobStore blobs) {
        RelayConfig.Dkim dkim = config.dkim();
        if (!dkim.enabled()) {
            return MessageSigner.NONE;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(dkim.timeout()).build();
        ServiceToken token = new ServiceToken(http, keycloak.realmUrl(), keycloak.clientId(), keycloak.clientSecret(), keycloak.timeout(),
                Clock.systemUTC());
        return new DkimMessageSigner(new DirectoryDkimKeys(http, dkim.directoryUrl(), token, dkim.timeout(), dkim.keyCache(),
                Clock.systemUTC()), blobs);
    }
}
