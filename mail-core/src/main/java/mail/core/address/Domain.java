package mail.core.address;

import java.net.IDN;
import java.util.Locale;
import java.util.Objects;

/**
 * A DNS domain name, held in its canonical form: lower-case, A-labels for internationalised
 * labels, no trailing dot. Two instances are equal exactly when they name the same DNS node, so
 * the type can be used directly as a map key for routing and local-domain checks.
 *
 * <p>IDN conversion uses {@link IDN} (IDNA2003, Unicode 3.2) because that is what the JDK offers.
 * Consequences worth knowing:
 * <ul>
 *   <li>U-label input is mapped by Nameprep, e.g. {@code straße.de} becomes {@code strasse.de}
 *       and characters unassigned in Unicode 3.2 (emoji, recent scripts) are rejected.</li>
 *   <li>A-label input ({@code xn--...}) is accepted as long as it is valid LDH, even when IDNA2003
 *       cannot decode it (IDNA2008-only names such as {@code xn--strae-oqa.de}); rejecting mail for
 *       registered domains would be worse than carrying an undecodable label. Such labels simply
 *       stay in A-label form in {@link #unicodeForm()}.</li>
 * </ul>
 *
 * <p>The last label must not be all-digits, so that a bare IPv4 address such as
 * {@code 192.0.2.1} is never mistaken for a host name; RFC 5321 requires the bracketed
 * {@link AddressLiteral} form for that.
 */
public final class Domain implements DomainPart {

    public static final int MAX_LENGTH = 253;
    public static final int MAX_LABEL_LENGTH = 63;

    private final String ascii;
    private final String unicode;

    private Domain(String ascii, String unicode) {
        this.ascii = ascii;
        this.unicode = unicode;
    }

    /**
     * Accepts ASCII or Unicode input, in any case, with an optional single trailing dot.
     *
     * @throws InvalidAddressException if the input is not a valid host-name-style domain
     */
    public static Domain parse(String input) {
        Objects.requireNonNull(input, "input");
        if (input.isEmpty()) {
            throw new InvalidAddressException("domain is empty", input);
        }
        // A written domain is never longer than its A-label form (ignoring characters that
        // Nameprep deletes), so this cheap bound can run before any IDN work.
        if (input.length() > MAX_LENGTH + 1) {
            throw new InvalidAddressException("domain is longer than " + MAX_LENGTH + " characters", input);
        }
        if (input.charAt(0) == '[') {
            throw new InvalidAddressException(
                    "address literal is not a domain name (use DomainPart.parse or AddressLiteral.parse)", input);
        }
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidAddressException("domain contains a control character", input);
            }
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw new InvalidAddressException("domain contains whitespace", input);
            }
        }

        checkEmptyLabels(input);

        String converted;
        try {
            converted = IDN.toASCII(input, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            throw new InvalidAddressException("not a valid domain name (" + e.getMessage() + ")", input, e);
        }
        // Stripped after conversion so that a trailing ideographic full stop (U+3002), which IDN
        // turns into '.', is treated the same as an ASCII one.
        if (converted.endsWith(".")) {
            converted = converted.substring(0, converted.length() - 1);
        }
        String ascii = converted.toLowerCase(Locale.ROOT);
        checkLabels(ascii, input);

        // ALLOW_UNASSIGNED only affects display of A-labels that use newer code points; input
        // validation above already ran with the strict flags.
        String unicode = IDN.toUnicode(ascii, IDN.USE_STD3_ASCII_RULES | IDN.ALLOW_UNASSIGNED);
        return new Domain(ascii, unicode);
    }

    // IDN would reject these too, but with a message that means little to a user. U+3002, U+FF0E
    // and U+FF61 are the label separators IDNA treats like '.'.
    private static void checkEmptyLabels(String input) {
        if (input.length() == 1 && isLabelSeparator(input.charAt(0))) {
            throw new InvalidAddressException("domain is empty", input); // just the root
        }
        // a leading separator, or two in a row; a single trailing one is allowed
        boolean previousWasSeparator = true;
        for (int i = 0; i < input.length(); i++) {
            boolean separator = isLabelSeparator(input.charAt(i));
            if (separator && previousWasSeparator) {
                throw new InvalidAddressException("domain has an empty label", input);
            }
            previousWasSeparator = separator;
        }
    }

    private static boolean isLabelSeparator(char c) {
        return c == '.' || c == '\u3002' || c == '\uFF0E' || c == '\uFF61';
    }

    // java.net.IDN already enforces most of this, but its checks are an implementation detail
    // (e.g. it passes empty input and "." through); the canonical form is what we promise.
    private static void checkLabels(String ascii, String input) {
        if (ascii.isEmpty()) {
            throw new InvalidAddressException("domain is empty", input);
        }
        if (ascii.length() > MAX_LENGTH) {
            throw new InvalidAddressException("domain is longer than " + MAX_LENGTH + " octets", input);
        }
        int start = 0;
        boolean lastAllDigits = false;
        while (start <= ascii.length()) {
            int dot = ascii.indexOf('.', start);
            int end = dot < 0 ? ascii.length() : dot;
            int len = end - start;
            if (len == 0) {
                throw new InvalidAddressException("domain has an empty label", input);
            }
            if (len > MAX_LABEL_LENGTH) {
                throw new InvalidAddressException(
                        "domain label is longer than " + MAX_LABEL_LENGTH + " octets", input);
            }
            if (ascii.charAt(start) == '-' || ascii.charAt(end - 1) == '-') {
                throw new InvalidAddressException("domain label starts or ends with '-'", input);
            }
            lastAllDigits = true;
            for (int i = start; i < end; i++) {
                char c = ascii.charAt(i);
                boolean digit = c >= '0' && c <= '9';
                if (!(digit || (c >= 'a' && c <= 'z') || c == '-')) {
                    throw new InvalidAddressException(
                            "domain label contains a character other than letter, digit or '-'", input);
                }
                lastAllDigits &= digit;
            }
            if (dot < 0) {
                break;
            }
            start = dot + 1;
        }
        if (lastAllDigits) {
            throw new InvalidAddressException(
                    "top-level label is all digits (IP addresses must be written as [address literal])", input);
        }
    }

    @Override
    public String asciiForm() {
        return ascii;
    }

    @Override
    public String unicodeForm() {
        return unicode;
    }

    /**
     * Inclusive, as in RFC 1034 §3.1: a domain is a subdomain of itself. Matching is on whole
     * labels, so {@code badexample.com} is not a subdomain of {@code example.com}.
     */
    public boolean isSubdomainOf(Domain other) {
        Objects.requireNonNull(other, "other");
        String parent = other.ascii;
        if (ascii.length() == parent.length()) {
            return ascii.equals(parent);
        }
        return ascii.length() > parent.length()
                && ascii.endsWith(parent)
                && ascii.charAt(ascii.length() - parent.length() - 1) == '.';
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Domain && ((Domain) o).ascii.equals(ascii);
    }

    @Override
    public int hashCode() {
        return ascii.hashCode();
    }

    /** The canonical A-label form, suitable for SMTP commands and DNS queries. */
    @Override
    public String toString() {
        return ascii;
    }
}
