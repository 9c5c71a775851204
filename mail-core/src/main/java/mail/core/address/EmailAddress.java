package mail.core.address;

import mail.core.text.Octets;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An RFC 5321 mailbox, {@code local-part@domain}, as it appears in SMTP envelopes and directory
 * entries. Display names, comments and other RFC 5322 header syntax are deliberately not
 * accepted: header parsing belongs elsewhere.
 *
 * <h2>Local part</h2>
 * {@link #localPart()} is the <em>value</em> of the local part: quotes and backslash escapes of
 * the quoted-string form are removed, because RFC 5322 §3.2.4 makes {@code "alice"} and
 * {@code alice} the same thing. Case is preserved exactly as given, since RFC 5321 §2.4 lets the
 * receiving host treat local parts case-sensitively. {@link #toString()} re-quotes only when the
 * value is not a valid dot-atom.
 *
 * <h2>Equality and lookups</h2>
 * {@link #equals} compares the local part exactly and the domain canonically. Our own platform,
 * like every real MTA for its own users, treats local parts case-insensitively: look accounts up
 * by {@link #canonical()}, never by {@code toString()}.
 *
 * <h2>SMTPUTF8</h2>
 * {@link #parse(String)} accepts UTF-8 (RFC 6531) because most callers — directory, admin API,
 * stored data — should handle internationalised addresses. An SMTP server must use
 * {@link #parse(String, boolean)} with the session's SMTPUTF8 state, so that non-ASCII input is
 * rejected when the client did not negotiate the extension, and must check
 * {@link #requiresSmtpUtf8()} before relaying to a peer that lacks it.
 *
 * <h2>Limits (RFC 5321 §4.5.3.1)</h2>
 * Local part at most 64 octets, whole path at most 256 octets including the angle brackets, so the
 * address itself at most 254. Lengths are UTF-8 octets, checked on the input before any parsing
 * and again on the SMTP form ({@link #toString()}), which can be longer once IDN domains become
 * A-labels. The 255-octet domain limit is implied: {@link Domain} allows at most 253.
 */
public final class EmailAddress {

    public static final int MAX_LOCAL_PART_OCTETS = 64;
    public static final int MAX_PATH_OCTETS = 256;
    public static final int MAX_ADDRESS_OCTETS = MAX_PATH_OCTETS - 2;

    private final String localPart;
    private final DomainPart domain;
    private final String smtpLocalPart;
    private final int tagSeparator;
    private final boolean ascii;

    private EmailAddress(String localPart, DomainPart domain, String smtpLocalPart, int tagSeparator,
            boolean ascii) {
        this.localPart = localPart;
        this.domain = domain;
        this.smtpLocalPart = smtpLocalPart;
        this.tagSeparator = tagSeparator;
        this.ascii = ascii;
    }

    /** Same as {@code parse(input, true)}: UTF-8 local parts and IDN domains are accepted. */
    public static EmailAddress parse(String input) {
        return parse(input, true);
    }

    /**
     * Parses a bare address (no angle brackets; see {@link #parsePath} for those).
     *
     * @param allowUtf8 whether non-ASCII is permitted anywhere in the input. {@code false} models
     *     an SMTP session without SMTPUTF8, where even a U-label domain is a syntax error
     * @throws InvalidAddressException if the input is not a valid mailbox
     */
    public static EmailAddress parse(String input, boolean allowUtf8) {
        Objects.requireNonNull(input, "input");
        // char count never exceeds the UTF-8 octet count, so this guard is exact and free
        if (input.length() > MAX_ADDRESS_OCTETS || utf8Length(input) > MAX_ADDRESS_OCTETS) {
            throw new InvalidAddressException("address is longer than " + MAX_ADDRESS_OCTETS + " octets", input);
        }
        if (!allowUtf8) {
            requireAscii(input, input);
        }
        if (input.isEmpty()) {
            throw new InvalidAddressException("address is empty", input);
        }

        String local;
        int at;
        if (input.charAt(0) == '"') {
            StringBuilder value = new StringBuilder(input.length());
            at = parseQuoted(input, value);
            local = value.toString();
        } else {
            at = input.indexOf('@');
            if (at < 0) {
                throw new InvalidAddressException("address has no '@'", input);
            }
            local = input.substring(0, at);
            String problem = dotAtomProblem(local);
            if (problem != null) {
                throw new InvalidAddressException(problem, input);
            }
        }
        if (local.isEmpty()) {
            // RFC 5321 permits "" but no real mailbox has it, and an empty string key is a trap
            throw new InvalidAddressException("local part is empty", input);
        }

        String domainText = input.substring(at + 1);
        if (domainText.isEmpty()) {
            throw new InvalidAddressException("domain part is empty", input);
        }
        if (domainText.indexOf('@') >= 0) {
            throw new InvalidAddressException("address has more than one '@' outside quotes", input);
        }
        String smtpLocal = smtpForm(local);
        checkLocalLength(smtpLocal, input); // before the comparatively expensive IDN conversion
        DomainPart domain;
        try {
            domain = DomainPart.parse(domainText);
        } catch (InvalidAddressException e) {
            throw new InvalidAddressException("invalid domain: " + e.reason(), input, e);
        }
        return create(local, domain, smtpLocal, input);
    }

    /**
     * Builds an address from an unquoted local-part value, e.g. one stored in the directory.
     * Any printable character is allowed; quoting is added by {@link #toString()} when needed.
     *
     * @throws InvalidAddressException if the local part is empty, too long or has control characters
     */
    public static EmailAddress of(String localPart, DomainPart domain) {
        Objects.requireNonNull(localPart, "localPart");
        Objects.requireNonNull(domain, "domain");
        String input = localPart + "@" + domain.asciiForm();
        if (localPart.isEmpty()) {
            throw new InvalidAddressException("local part is empty", input);
        }
        if (localPart.length() > MAX_LOCAL_PART_OCTETS) {
            throw new InvalidAddressException(
                    "local part is longer than " + MAX_LOCAL_PART_OCTETS + " octets", input);
        }
        for (int i = 0; i < localPart.length(); ) {
            int cp = localPart.codePointAt(i);
            if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && !isAllowedNonAscii(cp))) {
                throw new InvalidAddressException(describeBadChar(cp), input);
            }
            i += Character.charCount(cp);
        }
        String smtpLocal = smtpForm(localPart);
        checkLocalLength(smtpLocal, input);
        return create(localPart, domain, smtpLocal, input);
    }

    /**
     * Parses an SMTP reverse- or forward-path such as {@code <alice@example.com>}.
     *
     * <p>Returns empty for the null reverse-path {@code <>}; callers handling {@code RCPT TO}
     * must treat that as an error. A source route ({@code <@a.example,@b.example:user@c.example>})
     * is syntax-checked and then discarded, as RFC 5321 §4.1.2 and Appendix C require.
     *
     * @throws InvalidAddressException if the path is malformed
     */
    public static Optional<EmailAddress> parsePath(String path) {
        return parsePath(path, true);
    }

    /** {@link #parsePath(String)} with the SMTPUTF8 switch of {@link #parse(String, boolean)}. */
    public static Optional<EmailAddress> parsePath(String path, boolean allowUtf8) {
        Objects.requireNonNull(path, "path");
        if (path.length() > MAX_PATH_OCTETS || utf8Length(path) > MAX_PATH_OCTETS) {
            throw new InvalidAddressException("path is longer than " + MAX_PATH_OCTETS + " octets", path);
        }
        if (!allowUtf8) {
            requireAscii(path, path);
        }
        if (path.length() < 2 || path.charAt(0) != '<' || path.charAt(path.length() - 1) != '>') {
            throw new InvalidAddressException("path must be enclosed in < >", path);
        }
        String inner = path.substring(1, path.length() - 1);
        if (inner.isEmpty()) {
            return Optional.empty();
        }
        if (inner.charAt(0) == '@') {
            int colon = inner.indexOf(':');
            if (colon < 0) {
                throw new InvalidAddressException("source route is not terminated by ':'", path);
            }
            checkSourceRoute(inner.substring(0, colon), path);
            inner = inner.substring(colon + 1);
        }
        try {
            return Optional.of(parse(inner, allowUtf8));
        } catch (InvalidAddressException e) {
            throw new InvalidAddressException(e.reason(), path, e);
        }
    }

    // A-d-l = At-domain *( "," At-domain ); At-domain = "@" Domain
    private static void checkSourceRoute(String adl, String path) {
        int start = 0;
        while (true) {
            int comma = adl.indexOf(',', start);
            int end = comma < 0 ? adl.length() : comma;
            if (end - start < 2 || adl.charAt(start) != '@') {
                throw new InvalidAddressException("malformed source route", path);
            }
            try {
                Domain.parse(adl.substring(start + 1, end));
            } catch (InvalidAddressException e) {
                throw new InvalidAddressException("malformed source route: " + e.reason(), path, e);
            }
            if (comma < 0) {
                return;
            }
            start = comma + 1;
        }
    }

    /** Returns the index of the '@' that follows the closing quote. */
    private static int parseQuoted(String input, StringBuilder value) {
        int n = input.length();
        int i = 1;
        while (i < n) {
            char c = input.charAt(i);
            if (c == '"') {
                int at = i + 1;
                if (at >= n) {
                    throw new InvalidAddressException("address has no '@'", input);
                }
                if (input.charAt(at) != '@') {
                    throw new InvalidAddressException("quoted local part must be followed by '@'", input);
                }
                return at;
            }
            if (c == '\\') {
                if (i + 1 >= n) {
                    break;
                }
                char escaped = input.charAt(i + 1);
                // quoted-pairSMTP = %d92 %d32-126; RFC 6531 did not extend it to UTF-8
                if (escaped < 0x20 || escaped > 0x7e) {
                    throw new InvalidAddressException(
                            "backslash in quoted local part may only escape printable ASCII", input);
                }
                value.append(escaped);
                i += 2;
                continue;
            }
            int cp = input.codePointAt(i);
            if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && !isAllowedNonAscii(cp))) {
                throw new InvalidAddressException(describeBadChar(cp), input);
            }
            value.appendCodePoint(cp);
            i += Character.charCount(cp);
        }
        throw new InvalidAddressException("unbalanced quote in local part", input);
    }

    private static EmailAddress create(String local, DomainPart domain, String smtpLocal, String input) {
        int smtpLength = utf8Length(smtpLocal) + 1 + domain.asciiForm().length();
        // The A-label form can be longer than the Unicode text that passed the input check.
        if (smtpLength > MAX_ADDRESS_OCTETS) {
            throw new InvalidAddressException(
                    "address is longer than " + MAX_ADDRESS_OCTETS + " octets in SMTP form", input);
        }
        return new EmailAddress(local, domain, smtpLocal, tagSeparator(local), isAscii(smtpLocal));
    }

    private static void checkLocalLength(String smtpLocal, String input) {
        if (utf8Length(smtpLocal) > MAX_LOCAL_PART_OCTETS) {
            throw new InvalidAddressException(
                    "local part is longer than " + MAX_LOCAL_PART_OCTETS + " octets", input);
        }
    }

    /**
     * Sub-addressing applies only to dot-atom local parts and only when what precedes the first
     * '+' is itself a usable local part; "+x" or "a.+x" therefore have no tag.
     */
    private static int tagSeparator(String local) {
        int plus = local.indexOf('+');
        if (plus <= 0 || dotAtomProblem(local) != null || dotAtomProblem(local.substring(0, plus)) != null) {
            return -1;
        }
        return plus;
    }

    /** Returns null when {@code s} is a valid (RFC 6531-extended) Dot-string, else the reason. */
    private static String dotAtomProblem(String s) {
        if (s.isEmpty()) {
            return "local part is empty";
        }
        if (s.charAt(0) == '.') {
            return "local part starts with '.'";
        }
        if (s.charAt(s.length() - 1) == '.') {
            return "local part ends with '.'";
        }
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (cp == '.') {
                if (s.charAt(i + 1) == '.') {
                    return "local part contains consecutive dots";
                }
            } else if (cp < 0x80 ? !isAtext((char) cp) : !isAllowedNonAscii(cp)) {
                return describeBadChar(cp);
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    private static String describeBadChar(int cp) {
        if (cp < 0x20 || cp == 0x7f || Character.isISOControl(cp)) {
            return "local part contains a control character";
        }
        if (Character.isSurrogate((char) cp)) {
            return "local part contains an unpaired surrogate";
        }
        if (cp >= 0x80) {
            return "local part contains a disallowed character U+" + String.format("%04X", cp);
        }
        return "local part contains '" + (char) cp + "', which is only allowed in a quoted local part";
    }

    // RFC 5322 atext
    private static boolean isAtext(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }

    /**
     * RFC 6531 admits any UTF-8 here; we additionally refuse characters that are invisible or
     * break lines in logs and protocol traces. An unpaired surrogate reaches us as a code point
     * in the surrogate range and cannot be encoded as UTF-8 at all.
     */
    private static boolean isAllowedNonAscii(int cp) {
        if (Character.isISOControl(cp) || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)) {
            return false;
        }
        int type = Character.getType(cp);
        return type != Character.LINE_SEPARATOR
                && type != Character.PARAGRAPH_SEPARATOR
                && type != Character.SPACE_SEPARATOR;
    }

    private static String smtpForm(String local) {
        if (dotAtomProblem(local) == null) {
            return local;
        }
        StringBuilder sb = new StringBuilder(local.length() + 4).append('"');
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    private static void requireAscii(String s, String input) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                throw new InvalidAddressException("non-ASCII character requires SMTPUTF8", input);
            }
        }
    }

    private static boolean isAscii(String s) {
        return Octets.isAscii(s);
    }

    static int utf8Length(String s) {
        return Octets.utf8Length(s);
    }

    /** The unquoted value, case preserved. */
    public String localPart() {
        return localPart;
    }

    public DomainPart domain() {
        return domain;
    }

    /**
     * Key for account and alias lookups: local part NFC-normalised and lower-cased, domain in
     * canonical A-label form. Sub-address tags are kept; combine with {@link #baseAddress()} when
     * delivery should ignore them. Not meant to be sent anywhere — the original may differ in case.
     */
    public String canonical() {
        String folded = Normalizer.normalize(localPart, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        return smtpForm(folded) + "@" + domain.asciiForm();
    }

    /** The address without its {@code +tag}, or this address when it has none. */
    public EmailAddress baseAddress() {
        if (tagSeparator < 0) {
            return this;
        }
        String base = localPart.substring(0, tagSeparator);
        return new EmailAddress(base, domain, base, -1, isAscii(base));
    }

    /** The text after the first '+' of a dot-atom local part; may be present but empty ({@code a+@x}). */
    public Optional<String> tag() {
        return tagSeparator < 0 ? Optional.empty() : Optional.of(localPart.substring(tagSeparator + 1));
    }

    /**
     * Whether {@link #toString()} is pure ASCII. The domain is always emitted as A-labels, so only a
     * non-ASCII local part makes this false.
     */
    public boolean isAscii() {
        return ascii;
    }

    /** Whether relaying this address needs the SMTPUTF8 extension (RFC 6531). */
    public boolean requiresSmtpUtf8() {
        return !ascii;
    }

    /** Form for display: as {@link #toString()} but with the domain in Unicode. */
    public String toUnicodeString() {
        return smtpLocalPart + "@" + domain.unicodeForm();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EmailAddress)) {
            return false;
        }
        EmailAddress other = (EmailAddress) o;
        return localPart.equals(other.localPart) && domain.equals(other.domain);
    }

    @Override
    public int hashCode() {
        return 31 * localPart.hashCode() + domain.hashCode();
    }

    /** The form for an SMTP command (without angle brackets): local part quoted only if needed. */
    @Override
    public String toString() {
        return smtpLocalPart + "@" + domain.asciiForm();
    }
}
