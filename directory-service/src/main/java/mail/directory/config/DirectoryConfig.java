package mail.directory.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of directory-service; each key can be set from the environment (MAIL_DIRECTORY_…). */
@ConfigMapping(prefix = "mail.directory")
public interface DirectoryConfig {
    /** host name published in DNS records and autoconfig */
    @WithDefault("localhost")
    String publicHostname();

    /** quota of a new account when none is given */
    @WithDefault("1073741824")
    long defaultQuotaBytes();
}
