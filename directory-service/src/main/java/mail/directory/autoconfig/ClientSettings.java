package mail.directory.autoconfig;

/** What a mail client needs to know, from the configured public host name and ports. */
public record ClientSettings(String domain, String address, String host, int imaps, int imap, int pop3s, int pop3,
                             int submissions, int submission) {
}
