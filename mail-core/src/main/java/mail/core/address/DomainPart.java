package mail.core.address;

import java.util.Objects;

/**
 * The part of a mailbox after the {@code @}: RFC 5321 allows either a DNS {@link Domain} or an
 * {@link AddressLiteral} such as {@code [192.0.2.1]}. Sealed so that code routing mail can
 * handle both cases exhaustively with {@code instanceof} patterns.
 */
public sealed interface DomainPart permits Domain, AddressLiteral {

    /** Dispatches on the leading {@code [} that RFC 5321 uses to mark an address literal. */
    static DomainPart parse(String input) {
        Objects.requireNonNull(input, "input");
        if (!input.isEmpty() && input.charAt(0) == '[') {
            return AddressLiteral.parse(input);
        }
        return Domain.parse(input);
    }

    /** The canonical, pure-ASCII form used on the wire and as a lookup key. */
    String asciiForm();

    /** Form for showing to people; equal to {@link #asciiForm()} unless IDN labels are present. */
    String unicodeForm();

    default boolean isAddressLiteral() {
        return this instanceof AddressLiteral;
    }
}
