package mail.core.event;

/**
 * RFC 3461 ORCPT, already decoded from xtext (or RFC 6533 utf-8-addr-xtext) so that consumers never have to
 * know the SMTP encoding; the relay re-encodes it for the next hop.
 */
public record OriginalRecipient(String addressType, String address) {

    public OriginalRecipient {
        Checks.nonBlank(addressType, "orcpt.addressType");
        Checks.nonBlank(address, "orcpt.address");
        Checks.noControlCharacters(address, "orcpt.address");
    }

    public static OriginalRecipient rfc822(String address) {
        return new OriginalRecipient("rfc822", address);
    }
}
