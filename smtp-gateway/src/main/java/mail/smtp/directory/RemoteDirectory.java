package mail.smtp.directory;

import mail.core.address.EmailAddress;

/** The directory asked over the network, for the moments the local cache cannot answer. Never throws. */
public interface RemoteDirectory {

    RecipientStatus recipient(EmailAddress address);

    SenderStatus sender(String account, EmailAddress address);
}
