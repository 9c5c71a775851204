package mail.smtp.protocol;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import mail.core.address.EmailAddress;
import mail.core.address.InvalidAddressException;
import mail.smtp.protocol.MailParameters.AuthSubmitter;
import mail.smtp.protocol.MailParameters.BodyType;
import mail.smtp.protocol.MailParameters.Ret;
import mail.smtp.protocol.RcptParameters.Notify;
import mail.smtp.protocol.RcptParameters.OriginalRecipient;

/** The MAIL and RCPT parameter lists (RFC 5321 §4.1.2 esmtp-param) and their RFC-specific values. */
final class EsmtpParameters {

    // RFC 3461 §4.4 and §4.2 limits on the parameter value as sent.
    static final int MAX_ENVID_LENGTH = 100;
    static final int MAX_ORCPT_LENGTH = 500;
    private static final int MAX_SIZE_DIGITS = 20;
    private static final int MAX_ECHOED_KEYWORD = 40;

    private EsmtpParameters() {
    }

    /** {@code keyword} upper-cased (ASCII only); {@code value} null when there was no "=". */
    record Param(String keyword, String value) {
    }

    /**
     * Splits on runs of SP/HTAB and checks the RFC 5321 esmtp-param shape. Value characters are
     * checked later, once it is known whether UTF-8 is allowed.
     */
    static List<Param> tokenize(String text) throws SmtpSyntaxException {
        List<Param> params = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && Ascii.isWsp(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !Ascii.isWsp(text.charAt(i))) {
                i++;
            }
            if (start < i) {
                params.add(toParam(text.substring(start, i)));
            }
        }
        return params;
    }

    // esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
    private static Param toParam(String token) throws SmtpSyntaxException {
        int eq = token.indexOf('=');
        String keyword = eq < 0 ? token : token.substring(0, eq);
        boolean valid = !keyword.isEmpty() && isAlnum(keyword.charAt(0));
        for (int i = 1; valid && i < keyword.length(); i++) {
            char c = keyword.charAt(i);
            valid = isAlnum(c) || c == '-';
        }
        if (!valid) {
            throw syntax("Malformed parameter; expected KEYWORD or KEYWORD=value");
        }
        return new Param(Ascii.toUpper(keyword), eq < 0 ? null : token.substring(eq + 1));
    }

    static MailParameters parseMail(List<Param> params, ParserOptions options) throws SmtpSyntaxException {
        boolean utf8 = options.advertises(Extension.SMTPUTF8)
                && params.stream().anyMatch(p -> p.keyword().equals("SMTPUTF8"));
        OptionalLong size = OptionalLong.empty();
        Optional<BodyType> body = Optional.empty();
        boolean smtpUtf8 = false;
        Optional<Ret> ret = Optional.empty();
        Optional<String> envid = Optional.empty();
        Optional<AuthSubmitter> auth = Optional.empty();
        Set<String> seen = new HashSet<>();
        for (Param p : params) {
            switch (p.keyword()) {
                case "SIZE":
                    accept(p, options, Extension.SIZE, seen);
                    size = OptionalLong.of(parseSize(requireValue(p, utf8)));
                    break;
                case "BODY":
                    if (!options.advertises(Extension.EIGHT_BIT_MIME) && !options.advertises(Extension.BINARY_MIME)) {
                        throw notRecognized(p);
                    }
                    accept(p, options, null, seen);
                    body = Optional.of(parseBody(requireValue(p, utf8), options));
                    break;
                case "SMTPUTF8":
                    accept(p, options, Extension.SMTPUTF8, seen);
                    if (p.value() != null) {
                        throw syntax("SMTPUTF8 takes no value");
                    }
                    smtpUtf8 = true;
                    break;
                case "RET":
                    accept(p, options, Extension.DSN, seen);
                    ret = Optional.of(parseRet(requireValue(p, utf8)));
                    break;
                case "ENVID":
                    accept(p, options, Extension.DSN, seen);
                    envid = Optional.of(parseEnvid(requireValue(p, utf8)));
                    break;
                case "AUTH":
                    accept(p, options, Extension.AUTH, seen);
                    auth = Optional.of(parseAuth(requireValue(p, utf8)));
                    break;
                default:
                    throw notRecognized(p);
            }
        }
        return new MailParameters(size, body, smtpUtf8, ret, envid, auth);
    }

    static RcptParameters parseRcpt(List<Param> params, ParserOptions options, boolean utf8)
            throws SmtpSyntaxException {
        Set<Notify> notify = Set.of();
        Optional<OriginalRecipient> orcpt = Optional.empty();
        Set<String> seen = new HashSet<>();
        for (Param p : params) {
            switch (p.keyword()) {
                case "NOTIFY":
                    accept(p, options, Extension.DSN, seen);
                    notify = parseNotify(requireValue(p, utf8));
                    break;
                case "ORCPT":
                    accept(p, options, Extension.DSN, seen);
                    orcpt = Optional.of(parseOrcpt(requireValue(p, utf8), utf8));
                    break;
                default:
                    throw notRecognized(p);
            }
        }
        return new RcptParameters(notify, orcpt);
    }

    /** Unknown or unadvertised parameters get 555 before duplicates get 501. */
    private static void accept(Param p, ParserOptions options, Extension extension, Set<String> seen)
            throws SmtpSyntaxException {
        if (extension != null && !options.advertises(extension)) {
            throw notRecognized(p);
        }
        if (!seen.add(p.keyword())) {
            throw syntax("Duplicate " + p.keyword() + " parameter");
        }
    }

    // esmtp-value = 1*(%d33-60 / %d62-126), extended by RFC 6531 to UTF-8 in SMTPUTF8 transactions
    private static String requireValue(Param p, boolean utf8) throws SmtpSyntaxException {
        String v = p.value();
        if (v == null || v.isEmpty()) {
            throw syntax(p.keyword() + " requires a value");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean ok = c >= 0x80 ? utf8 : c >= '!' && c <= '~' && c != '=';
            if (!ok) {
                throw syntax("Invalid character in " + p.keyword() + " value");
            }
        }
        return v;
    }

    // RFC 1870: size-value = 1*20DIGIT
    private static long parseSize(String v) throws SmtpSyntaxException {
        for (int i = 0; i < v.length(); i++) {
            if (!Ascii.isDigit(v.charAt(i))) {
                throw syntax("SIZE value must be digits");
            }
        }
        if (v.length() > MAX_SIZE_DIGITS) {
            throw syntax("SIZE value has more than 20 digits");
        }
        long size = 0;
        for (int i = 0; i < v.length(); i++) {
            int d = v.charAt(i) - '0';
            size = size > (Long.MAX_VALUE - d) / 10 ? Long.MAX_VALUE : size * 10 + d;
        }
        return size;
    }

    private static BodyType parseBody(String v, ParserOptions options) throws SmtpSyntaxException {
        for (BodyType type : BodyType.values()) {
            if (Ascii.equalsIgnoreCase(v, type.keyword())) {
                // RFC 3030 makes BINARYMIME depend on its own advertisement, 8BITMIME on RFC 6152's
                boolean offered = type == BodyType.SEVEN_BIT
                        || (type == BodyType.EIGHT_BIT_MIME && options.advertises(Extension.EIGHT_BIT_MIME))
                        || (type == BodyType.BINARY_MIME && options.advertises(Extension.BINARY_MIME));
                if (!offered) {
                    throw new SmtpSyntaxException(Replies.PARAMETERS_NOT_RECOGNIZED.withText(
                            "BODY=" + type.keyword() + " not supported"));
                }
                return type;
            }
        }
        throw syntax("BODY must be 7BIT, 8BITMIME or BINARYMIME");
    }

    private static Ret parseRet(String v) throws SmtpSyntaxException {
        if (Ascii.equalsIgnoreCase(v, "FULL")) {
            return Ret.FULL;
        }
        if (Ascii.equalsIgnoreCase(v, "HDRS")) {
            return Ret.HDRS;
        }
        throw syntax("RET must be FULL or HDRS");
    }

    // RFC 3461 §4.4: at most 100 characters, and printable US-ASCII once decoded
    private static String parseEnvid(String v) throws SmtpSyntaxException {
        if (v.length() > MAX_ENVID_LENGTH) {
            throw syntax("ENVID longer than 100 characters");
        }
        String decoded = decodeXtext(v, "ENVID");
        requirePrintableAscii(decoded, "ENVID");
        return decoded;
    }

    // RFC 4954 §5: "AUTH=" xtext, decoding to "<>" or an addr-spec
    private static AuthSubmitter parseAuth(String v) throws SmtpSyntaxException {
        String decoded = decodeXtext(v, "AUTH");
        if (decoded.equals("<>")) {
            return AuthSubmitter.UNKNOWN;
        }
        try {
            return new AuthSubmitter(Optional.of(EmailAddress.parse(decoded, false)));
        } catch (InvalidAddressException e) {
            throw syntax("AUTH= is not <> or a valid mailbox: " + e.reason());
        }
    }

    // RFC 3461 §4.1: "NEVER" / 1#( "SUCCESS" / "FAILURE" / "DELAY" ), case-insensitive
    private static Set<Notify> parseNotify(String v) throws SmtpSyntaxException {
        Set<Notify> result = EnumSet.noneOf(Notify.class);
        int start = 0;
        while (true) {
            int comma = v.indexOf(',', start);
            String item = v.substring(start, comma < 0 ? v.length() : comma);
            Notify found = null;
            for (Notify candidate : Notify.values()) {
                if (Ascii.equalsIgnoreCase(item, candidate.name())) {
                    found = candidate;
                }
            }
            if (found == null) {
                throw syntax("NOTIFY must be NEVER or a list of SUCCESS, FAILURE, DELAY");
            }
            result.add(found);
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        if (result.contains(Notify.NEVER) && result.size() > 1) {
            throw syntax("NOTIFY=NEVER cannot be combined with other values");
        }
        return result;
    }

    // RFC 3461 §4.2: addr-type ";" xtext, at most 500 characters; RFC 6533 for addr-type utf-8
    private static OriginalRecipient parseOrcpt(String v, boolean utf8) throws SmtpSyntaxException {
        if (v.length() > MAX_ORCPT_LENGTH) {
            throw syntax("ORCPT longer than 500 characters");
        }
        int semi = v.indexOf(';');
        if (semi <= 0) {
            throw syntax("ORCPT must be addr-type;address");
        }
        String type = v.substring(0, semi);
        for (int i = 0; i < type.length(); i++) {
            if (!isAtext(type.charAt(i))) {
                throw syntax("Invalid ORCPT address type");
            }
        }
        type = type.toLowerCase(Locale.ROOT);
        String encoded = v.substring(semi + 1);
        if (encoded.isEmpty()) {
            throw syntax("ORCPT address is empty");
        }
        String address;
        if (type.equals("utf-8")) {
            try {
                address = Xtext.decodeUtf8Address(encoded, utf8);
            } catch (IllegalArgumentException e) {
                throw syntax("Invalid utf-8 ORCPT address: " + e.getMessage());
            }
        } else {
            address = decodeXtext(encoded, "ORCPT");
            requirePrintableAscii(address, "ORCPT");
        }
        return new OriginalRecipient(type, address);
    }

    private static String decodeXtext(String v, String keyword) throws SmtpSyntaxException {
        try {
            return Xtext.decode(v);
        } catch (IllegalArgumentException e) {
            throw syntax("Invalid xtext in " + keyword + ": " + e.getMessage());
        }
    }

    // RFC 3461 §4.2 and §4.4: "printable (graphic and white space) characters from US-ASCII"; only
    // the space is accepted as white space, so that nothing can break a DSN header line
    private static void requirePrintableAscii(String s, String keyword) throws SmtpSyntaxException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < ' ' || c > '~') {
                throw syntax(keyword + " must decode to printable ASCII");
            }
        }
    }

    private static boolean isAlnum(char c) {
        return Ascii.isAlpha(c) || Ascii.isDigit(c);
    }

    // RFC 5322 atext
    private static boolean isAtext(char c) {
        return isAlnum(c) || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }

    private static SmtpSyntaxException notRecognized(Param p) {
        String keyword = p.keyword().length() > MAX_ECHOED_KEYWORD
                ? p.keyword().substring(0, MAX_ECHOED_KEYWORD) + "..." : p.keyword();
        return new SmtpSyntaxException(Replies.PARAMETERS_NOT_RECOGNIZED.withText(
                "Parameter " + keyword + " not recognized or not implemented"));
    }

    private static SmtpSyntaxException syntax(String text) {
        return new SmtpSyntaxException(Replies.SYNTAX.withText(text));
    }
}
