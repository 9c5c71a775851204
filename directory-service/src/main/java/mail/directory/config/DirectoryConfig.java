package mail.directory.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/** Settings of directory-service; each key can be set from the environment (MAIL_DIRECTORY_…). */
@ConfigMapping(prefix = "mail.directory")
public interface DirectoryConfig {
    /** host name of the mail services, published in DNS records (MX, SRV) and client autoconfiguration */
    @WithDefault("localhost")
    String publicHostname();

    /** quota of a new account when none is given */
    @WithDefault("1073741824")
    long defaultQuotaBytes();

    @WithDefault("8")
    int minPasswordLength();

    /** members of one alias or group; the directory cache gives up expanding beyond 1000 recipients anyway */
    @WithDefault("1000")
    int maxTargets();

    /** how often Keycloak is compared with MongoDB to pick up users created or disabled directly in Keycloak */
    @WithDefault("60s")
    Duration reconcileInterval();

    /**
     * Keycloak users younger than this are left alone by the reconciler: an account being created through the API
     * exists in Keycloak shortly before its MongoDB document does.
     */
    @WithDefault("30s")
    Duration reconcileGrace();

    /** how often the mail data of deleted accounts (directory_purges) is removed */
    @WithDefault("30s")
    Duration purgeInterval();

    /** how often changes whose publication to directory.changes failed are published again */
    @WithDefault("5s")
    Duration republishInterval();

    /** how long a request waits for Kafka to acknowledge its change before leaving it to the republisher */
    @WithDefault("5s")
    Duration publishWait();

    /**
     * AES key (base64 of 32 bytes) that encrypts the DKIM private keys at rest. Production sets
     * MAIL_DIRECTORY_KEY_ENCRYPTION_KEY; without it a LOCAL-DEVELOPMENT-ONLY key is generated in the data directory.
     */
    Optional<String> keyEncryptionKey();

    /** where the local-development key is kept when no key is configured (the launcher sets MAIL_DATA_DIR) */
    @WithName("data-dir")
    @WithDefault("${MAIL_DATA_DIR:${java.io.tmpdir}/mailplatform-directory}")
    String dataDir();

    Dns dns();

    Ports ports();

    interface Dns {
        /** the MX host; defaults to the public host name */
        Optional<String> mxHostname();

        @WithDefault("v=DMARC1; p=quarantine; adkim=s; aspf=s")
        String dmarcPolicy();

        /** publish the MTA-STS TXT record and mta-sts host (RFC 8461); the policy file must then be served */
        @WithDefault("false")
        boolean mtaSts();

        @WithDefault("3600")
        int ttl();
    }

    /** The ports clients are told to use; the local platform's by default, 587/465/143/993/110/995 in production. */
    interface Ports {
        @WithDefault("2587")
        int submission();

        @WithDefault("2465")
        int submissions();

        @WithDefault("2143")
        int imap();

        @WithDefault("2993")
        int imaps();

        @WithDefault("2110")
        int pop3();

        @WithDefault("2995")
        int pop3s();
    }
}
