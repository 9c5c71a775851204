package mail.smtp.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import mail.core.address.EmailAddress;
import mail.core.address.InvalidAddressException;

/**
 * Decodes one SMTP command line (RFC 5321 §4.1 and the extensions named in {@link Extension}) into
 * a {@link SmtpCommand}, or rejects it with the reply to send. Immutable, hence thread-safe; one
 * instance per listener configuration is enough.
 *
 * <h2>Strict where it matters, lenient where clients are sloppy</h2>
 * <ul>
 *   <li>Verbs, parameter keywords and keyword values such as {@code LAST} or {@code FULL} are
 *       matched case-insensitively, folding ASCII letters only.</li>
 *   <li>Runs of spaces and tabs are accepted wherever RFC 5321 wants one SP, and leading or
 *       trailing whitespace is ignored, as Postfix does. {@code MAIL FROM: <a@b>} (space after the
 *       colon) is accepted because common clients send it; a space before the colon is not.</li>
 *   <li>Paths must be in angle brackets; a bare address is a 501.</li>
 *   <li>Any control character other than HTAB (NUL, bare CR or LF, DEL, C1) or an unpaired
 *       surrogate anywhere in the line is a 501: such bytes in a command are an attack or a broken
 *       client, and passing them on invites log and header injection.</li>
 *   <li>Non-ASCII is accepted only where RFC 6531 allows it: in a MAIL carrying SMTPUTF8 and in the
 *       RCPTs of such a transaction ({@code utf8Transaction}); elsewhere an address with it gets
 *       553 5.6.7. Free-text arguments (VRFY, EXPN, HELP, NOOP) are passed through.</li>
 * </ul>
 *
 * <h2>Replies</h2>
 * 500 5.5.2 unknown command, empty line, line too long or undecodable UTF-8; 501 5.5.4 bad
 * arguments, bad or duplicate parameters; 501 5.1.7 / 5.1.3 bad sender / recipient path; 555 5.5.4
 * a MAIL/RCPT parameter not recognised or not advertised; 553 5.6.7 a non-ASCII address without
 * SMTPUTF8; 501 5.5.2 an AUTH initial response that is not base64.
 */
public final class CommandParser {

    private static final int MAX_VERB_LENGTH = 8;
    private static final int MAX_HOST_NAME_OCTETS = 255;
    private static final int MAX_SASL_MECHANISM_LENGTH = 20;

    private static final SmtpCommand DATA = new SmtpCommand.Data();
    private static final SmtpCommand RSET = new SmtpCommand.Rset();
    private static final SmtpCommand NOOP = new SmtpCommand.Noop();
    private static final SmtpCommand QUIT = new SmtpCommand.Quit();
    private static final SmtpCommand STARTTLS = new SmtpCommand.StartTls();

    private final ParserOptions options;
    private final EmailAddress postmaster;

    public CommandParser(ParserOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.postmaster = EmailAddress.of("postmaster", options.postmasterDomain());
    }

    public ParserOptions options() {
        return options;
    }

    /**
     * Decodes the octets of one line (without CRLF) as strict UTF-8: overlong forms, encoded
     * surrogates and truncated sequences are rejected rather than turned into U+FFFD, so that what
     * the parser checks is exactly what the client sent.
     */
    public static String decodeLine(byte[] octets, int offset, int length) throws SmtpSyntaxException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(octets, offset, length)).toString();
        } catch (CharacterCodingException e) {
            throw new SmtpSyntaxException(Replies.UNKNOWN_COMMAND.withText("Invalid UTF-8 in command line"));
        }
    }

    /** Parses a line outside an SMTPUTF8 transaction; see {@link #parse(String, boolean)}. */
    public SmtpCommand parse(String line) throws SmtpSyntaxException {
        return parse(line, false);
    }

    /**
     * @param line one command line without its CRLF
     * @param utf8Transaction whether the current transaction's MAIL carried SMTPUTF8; only RCPT
     *     looks at it (MAIL decides for itself from its own parameters)
     */
    public SmtpCommand parse(String line, boolean utf8Transaction) throws SmtpSyntaxException {
        Objects.requireNonNull(line, "line");
        int start = 0;
        int end = line.length();
        while (start < end && Ascii.isWsp(line.charAt(start))) {
            start++;
        }
        while (end > start && Ascii.isWsp(line.charAt(end - 1))) {
            end--;
        }
        int verbEnd = start;
        while (verbEnd < end && !Ascii.isWsp(line.charAt(verbEnd))) {
            verbEnd++;
        }
        String verb = verb(line, start, verbEnd);

        int limit = options.maxLineLength(verb);
        // a char is at least one octet, so the first test spares counting a huge line
        if (line.length() + 2 > limit || Ascii.utf8Length(line) + 2 > limit) {
            throw new SmtpSyntaxException(Replies.LINE_TOO_LONG);
        }
        checkCharacters(line);
        if (verb == null) {
            throw new SmtpSyntaxException(Replies.UNKNOWN_COMMAND);
        }
        int argStart = verbEnd;
        while (argStart < end && Ascii.isWsp(line.charAt(argStart))) {
            argStart++;
        }
        String args = line.substring(argStart, end);

        switch (verb) {
            case "EHLO":
                return new SmtpCommand.Ehlo(clientName(verb, args));
            case "HELO":
                return new SmtpCommand.Helo(clientName(verb, args));
            case "MAIL":
                return mail(args);
            case "RCPT":
                return rcpt(args, utf8Transaction);
            case "DATA":
                return noArguments(verb, args, DATA);
            case "BDAT":
                return bdat(args);
            case "RSET":
                return noArguments(verb, args, RSET);
            case "NOOP":
                return NOOP;
            case "QUIT":
                return noArguments(verb, args, QUIT);
            case "VRFY":
                return new SmtpCommand.Vrfy(requireArgument(verb, args));
            case "EXPN":
                return new SmtpCommand.Expn(requireArgument(verb, args));
            case "HELP":
                return new SmtpCommand.Help(args);
            case "STARTTLS":
                return noArguments(verb, args, STARTTLS);
            case "AUTH":
                return auth(args);
            default:
                throw new SmtpSyntaxException(Replies.UNKNOWN_COMMAND);
        }
    }

    /** The upper-cased verb if it is made of ASCII letters and not absurdly long, else null. */
    private static String verb(String line, int start, int end) {
        if (end == start || end - start > MAX_VERB_LENGTH) {
            return null;
        }
        for (int i = start; i < end; i++) {
            if (!Ascii.isAlpha(line.charAt(i))) {
                return null;
            }
        }
        return Ascii.toUpper(line.substring(start, end));
    }

    private static void checkCharacters(String line) throws SmtpSyntaxException {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\t') {
                continue;
            }
            if (Character.isISOControl(c)) {
                throw syntax("Control characters are not allowed in commands");
            }
            if (Character.isHighSurrogate(c) && i + 1 < line.length()
                    && Character.isLowSurrogate(line.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw syntax("Invalid character in command");
            }
        }
    }

    private static SmtpCommand noArguments(String verb, String args, SmtpCommand command)
            throws SmtpSyntaxException {
        if (!args.isEmpty()) {
            throw syntax(verb + " takes no arguments");
        }
        return command;
    }

    private static String requireArgument(String verb, String args) throws SmtpSyntaxException {
        if (args.isEmpty()) {
            throw syntax(verb + " requires an argument");
        }
        return args;
    }

    // ---- EHLO / HELO --------------------------------------------------------------------------

    private static String clientName(String verb, String args) throws SmtpSyntaxException {
        if (args.isEmpty()) {
            throw syntax(verb + " requires a domain name or address literal");
        }
        if (!looksLikeHostName(args)) {
            throw syntax("Invalid " + verb + " argument; expected a domain name or address literal");
        }
        return args;
    }

    /**
     * Deliberately loose: a bracketed literal made of the characters IPv4/IPv6 literals use, or dot
     * separated labels of letters (any script), digits, '-' and '_' with an optional trailing dot.
     * That admits {@code localhost}, {@code 192.0.2.1}, {@code MY_PC} and U-labels, and refuses
     * what could break a Received: header: spaces, quotes, parentheses, '@', ';'.
     */
    static boolean looksLikeHostName(String s) {
        if (Ascii.utf8Length(s) > MAX_HOST_NAME_OCTETS) {
            return false;
        }
        if (s.charAt(0) == '[') {
            if (s.length() < 3 || s.charAt(s.length() - 1) != ']') {
                return false;
            }
            for (int i = 1; i < s.length() - 1; i++) {
                char c = s.charAt(i);
                if (!(Ascii.isAlpha(c) || Ascii.isDigit(c) || c == '.' || c == ':' || c == '-')) {
                    return false;
                }
            }
            return true;
        }
        int end = s.endsWith(".") ? s.length() - 1 : s.length();
        int labelLength = 0;
        for (int i = 0; i < end; ) {
            int cp = s.codePointAt(i);
            if (cp == '.') {
                if (labelLength == 0) {
                    return false;
                }
                labelLength = 0;
            } else if (isHostNameChar(cp)) {
                labelLength++;
            } else {
                return false;
            }
            i += Character.charCount(cp);
        }
        return labelLength > 0;
    }

    private static boolean isHostNameChar(int cp) {
        if (cp < 0x80) {
            char c = (char) cp;
            return Ascii.isAlpha(c) || Ascii.isDigit(c) || c == '-' || c == '_';
        }
        int type = Character.getType(cp);
        return Character.isLetterOrDigit(cp) || type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK;
    }

    // ---- MAIL / RCPT --------------------------------------------------------------------------

    private record PathAndRest(String path, String rest) {
    }

    private SmtpCommand mail(String args) throws SmtpSyntaxException {
        if (!Ascii.startsWithIgnoreCase(args, 0, "FROM:")) {
            throw syntax("Syntax: MAIL FROM:<address> [parameters]");
        }
        PathAndRest split = splitPath(args, "FROM:".length(), Replies.BAD_SENDER_SYNTAX, "Sender");
        MailParameters params = EsmtpParameters.parseMail(EsmtpParameters.tokenize(split.rest()), options);
        boolean utf8 = params.smtpUtf8();
        if (!utf8 && !Ascii.isAscii(split.path())) {
            throw new SmtpSyntaxException(Replies.NON_ASCII_SENDER);
        }
        Optional<EmailAddress> reversePath;
        try {
            reversePath = EmailAddress.parsePath(split.path(), utf8);
        } catch (InvalidAddressException e) {
            throw new SmtpSyntaxException(Replies.BAD_SENDER_SYNTAX.withText(
                    "Bad sender address syntax: " + e.reason()));
        }
        return new SmtpCommand.Mail(reversePath, params);
    }

    private SmtpCommand rcpt(String args, boolean utf8) throws SmtpSyntaxException {
        if (!Ascii.startsWithIgnoreCase(args, 0, "TO:")) {
            throw syntax("Syntax: RCPT TO:<address> [parameters]");
        }
        PathAndRest split = splitPath(args, "TO:".length(), Replies.BAD_RECIPIENT_SYNTAX, "Recipient");
        RcptParameters params = EsmtpParameters.parseRcpt(
                EsmtpParameters.tokenize(split.rest()), options, utf8);
        // RFC 5321 §4.1.1.3: "Postmaster" here is case-insensitive
        if (Ascii.equalsIgnoreCase(split.path(), "<POSTMASTER>")) {
            return new SmtpCommand.Rcpt(postmaster, true, params);
        }
        if (!utf8 && !Ascii.isAscii(split.path())) {
            throw new SmtpSyntaxException(Replies.NON_ASCII_RECIPIENT);
        }
        Optional<EmailAddress> forwardPath;
        try {
            forwardPath = EmailAddress.parsePath(split.path(), utf8);
        } catch (InvalidAddressException e) {
            throw new SmtpSyntaxException(Replies.BAD_RECIPIENT_SYNTAX.withText(
                    "Bad recipient address syntax: " + e.reason()));
        }
        if (forwardPath.isEmpty()) {
            throw new SmtpSyntaxException(Replies.BAD_RECIPIENT_SYNTAX.withText(
                    "The null path <> is not a valid recipient"));
        }
        return new SmtpCommand.Rcpt(forwardPath.get(), false, params);
    }

    /**
     * Cuts {@code <...>} out of the arguments. A quoted local part may contain '>' and spaces, so
     * the closing bracket is the first one outside quotes. Path syntax itself is left to
     * {@link EmailAddress#parsePath}.
     */
    private static PathAndRest splitPath(String args, int from, SmtpReply badPath, String noun)
            throws SmtpSyntaxException {
        int i = from;
        while (i < args.length() && Ascii.isWsp(args.charAt(i))) {
            i++;
        }
        if (i >= args.length() || args.charAt(i) != '<') {
            throw new SmtpSyntaxException(badPath.withText(noun + " address must be enclosed in <>"));
        }
        int open = i;
        boolean quoted = false;
        for (i = open + 1; i < args.length(); i++) {
            char c = args.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '>') {
                String rest = args.substring(i + 1);
                if (!rest.isEmpty() && !Ascii.isWsp(rest.charAt(0))) {
                    throw syntax("Parameters must be separated from the address by a space");
                }
                return new PathAndRest(args.substring(open, i + 1), rest);
            }
        }
        throw new SmtpSyntaxException(badPath.withText(noun + " address is missing its closing '>'"));
    }

    // ---- BDAT ---------------------------------------------------------------------------------

    // RFC 3030: bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ]; chunk-size = 1*DIGIT
    private static SmtpCommand bdat(String args) throws SmtpSyntaxException {
        List<String> tokens = tokens(args);
        if (tokens.isEmpty() || tokens.size() > 2) {
            throw bdatError("Syntax: BDAT chunk-size [LAST]");
        }
        String size = tokens.get(0);
        long chunkSize = 0;
        for (int i = 0; i < size.length(); i++) {
            char c = size.charAt(i);
            if (!Ascii.isDigit(c)) {
                throw bdatError("BDAT chunk size must be digits");
            }
            int d = c - '0';
            if (chunkSize > (Long.MAX_VALUE - d) / 10) {
                throw bdatError("BDAT chunk size out of range");
            }
            chunkSize = chunkSize * 10 + d;
        }
        boolean last = false;
        if (tokens.size() == 2) {
            if (!Ascii.equalsIgnoreCase(tokens.get(1), "LAST")) {
                throw bdatError("Syntax: BDAT chunk-size [LAST]");
            }
            last = true;
        }
        return new SmtpCommand.Bdat(chunkSize, last);
    }

    /** The chunk that follows cannot be skipped without its size: the session must close. */
    private static SmtpSyntaxException bdatError(String text) {
        return new SmtpSyntaxException(Replies.SYNTAX.withText(text), true);
    }

    // ---- AUTH ---------------------------------------------------------------------------------

    // RFC 4954 §4: "AUTH" SP sasl-mech [SP initial-response]; RFC 4422 §3.1: sasl-mech is
    // 1*20 of upper-case letters, digits, "-" and "_" (lower case accepted and folded)
    private static SmtpCommand auth(String args) throws SmtpSyntaxException {
        List<String> tokens = tokens(args);
        if (tokens.isEmpty() || tokens.size() > 2) {
            throw syntax("Syntax: AUTH mechanism [initial-response]");
        }
        String mechanism = tokens.get(0);
        if (mechanism.length() > MAX_SASL_MECHANISM_LENGTH) {
            throw syntax("Invalid SASL mechanism name");
        }
        for (int i = 0; i < mechanism.length(); i++) {
            char c = mechanism.charAt(i);
            if (!(Ascii.isAlpha(c) || Ascii.isDigit(c) || c == '-' || c == '_')) {
                throw syntax("Invalid SASL mechanism name");
            }
        }
        Optional<String> initial = Optional.empty();
        if (tokens.size() == 2) {
            String response = tokens.get(1);
            if (response.equals("=")) {
                initial = Optional.of("");
            } else {
                try {
                    Base64.getDecoder().decode(response);
                } catch (IllegalArgumentException e) {
                    throw new SmtpSyntaxException(Replies.AUTH_BAD_BASE64);
                }
                initial = Optional.of(response);
            }
        }
        return new SmtpCommand.Auth(Ascii.toUpper(mechanism), initial);
    }

    private static List<String> tokens(String args) {
        List<String> tokens = new ArrayList<>(2);
        int i = 0;
        while (i < args.length()) {
            int start = i;
            while (i < args.length() && !Ascii.isWsp(args.charAt(i))) {
                i++;
            }
            tokens.add(args.substring(start, i));
            while (i < args.length() && Ascii.isWsp(args.charAt(i))) {
                i++;
            }
        }
        return tokens;
    }

    private static SmtpSyntaxException syntax(String text) {
        return new SmtpSyntaxException(Replies.SYNTAX.withText(text));
    }
}
