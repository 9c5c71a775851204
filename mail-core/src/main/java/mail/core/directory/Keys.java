package mail.core.directory;

import java.util.Locale;
import mail.core.address.Domain;
import mail.core.address.EmailAddress;
import mail.core.address.InvalidAddressException;

/**
 * The one spelling under which entries are stored and looked up. Directory keys are already lower case, but a
 * lookup comes from {@link EmailAddress#canonical()}, which also NFC-normalises, unquotes needless quotes and turns
 * IDN domains into A-labels; storing under the same function is what makes the two meet.
 */
final class Keys {

    private static final String POSTMASTER = "postmaster";

    private Keys() {
    }

    // An entry whose key we cannot parse can never be looked up, but it must still be evictable by its key.
    static String address(String key) {
        try {
            return EmailAddress.parse(key).canonical();
        } catch (InvalidAddressException e) {
            return key.toLowerCase(Locale.ROOT);
        }
    }

    static String domain(String key) {
        try {
            return Domain.parse(key).asciiForm();
        } catch (InvalidAddressException e) {
            return key.toLowerCase(Locale.ROOT);
        }
    }

    static String localPart(EmailAddress address) {
        String canonical = address.canonical();
        // a quoted local part may itself contain '@'; the domain never does
        return canonical.substring(0, canonical.lastIndexOf('@'));
    }

    // RFC 5321 §4.5.1: "postmaster" is case-insensitive; a +tag does not make it another mailbox.
    static boolean isPostmaster(EmailAddress address) {
        return POSTMASTER.equals(localPart(address.baseAddress()));
    }
}
