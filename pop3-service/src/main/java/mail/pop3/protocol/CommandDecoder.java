package mail.pop3.protocol;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/** Turns one command line (without CRLF) into a {@link Pop3Command}; knows nothing of states or the maildrop. */
public final class CommandDecoder {
    /** RFC 1939 §3: arguments may be up to 40 characters long (PASS and AUTH responses excepted). */
    static final int MAX_ARGUMENT = 40;

    private CommandDecoder() {
    }

    public static Pop3Command decode(String line) throws Pop3SyntaxException {
        int sp = line.indexOf(' ');
        String keyword = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
        String rest = sp < 0 ? "" : line.substring(sp + 1);
        switch (keyword) {
            case "USER":
                return new Pop3Command.User(oneArgument(rest, "USER needs a user name"));
            case "PASS":
                // RFC 1939 §7: the password may contain spaces, so it is the rest of the line
                if (rest.isEmpty()) {
                    throw new Pop3SyntaxException("PASS needs a password");
                }
                return new Pop3Command.Pass(rest);
            case "AUTH":
                return auth(rest);
            case "CAPA":
                noArguments(rest, keyword);
                return new Pop3Command.Capa();
            case "STLS":
                noArguments(rest, keyword);
                return new Pop3Command.Stls();
            case "STAT":
                noArguments(rest, keyword);
                return new Pop3Command.Stat();
            case "LIST":
                return new Pop3Command.List(optionalNumber(rest));
            case "UIDL":
                return new Pop3Command.Uidl(optionalNumber(rest));
            case "RETR":
                return new Pop3Command.Retr(messageNumber(oneArgument(rest, "RETR needs a message number")));
            case "DELE":
                return new Pop3Command.Dele(messageNumber(oneArgument(rest, "DELE needs a message number")));
            case "TOP":
                return top(rest);
            case "NOOP":
                noArguments(rest, keyword);
                return new Pop3Command.Noop();
            case "RSET":
                noArguments(rest, keyword);
                return new Pop3Command.Rset();
            case "QUIT":
                noArguments(rest, keyword);
                return new Pop3Command.Quit();
            default:
                throw new Pop3SyntaxException("Unknown command");
        }
    }

    private static Pop3Command auth(String rest) throws Pop3SyntaxException {
        if (rest.isEmpty()) {
            return new Pop3Command.Auth(Optional.empty(), Optional.empty());
        }
        String[] parts = rest.split(" ", -1);
        if (parts.length > 2 || parts[0].isEmpty() || parts.length == 2 && parts[1].isEmpty()) {
            throw new Pop3SyntaxException("Syntax: AUTH mechanism [initial-response]");
        }
        return new Pop3Command.Auth(Optional.of(parts[0]), parts.length == 2 ? Optional.of(parts[1]) : Optional.empty());
    }

    private static Pop3Command top(String rest) throws Pop3SyntaxException {
        String[] parts = rest.split(" ", -1);
        if (parts.length != 2) {
            throw new Pop3SyntaxException("Syntax: TOP message lines");
        }
        int message = messageNumber(parts[0]);
        if (!digits(parts[1])) {
            throw new Pop3SyntaxException("Invalid number of lines");
        }
        return new Pop3Command.Top(message, saturated(parts[1]));
    }

    private static OptionalInt optionalNumber(String rest) throws Pop3SyntaxException {
        return rest.isEmpty() ? OptionalInt.empty() : OptionalInt.of(messageNumber(oneArgument(rest, "")));
    }

    /** 1 and up; a number too big for an int is kept as the largest int, which no maildrop reaches. */
    private static int messageNumber(String s) throws Pop3SyntaxException {
        if (!digits(s)) {
            throw new Pop3SyntaxException("Invalid message number");
        }
        int n = saturated(s);
        if (n == 0) {
            throw new Pop3SyntaxException("Invalid message number");
        }
        return n;
    }

    private static int saturated(String digits) {
        String trimmed = digits.replaceFirst("^0+(?=.)", "");
        return trimmed.length() > 10 ? Integer.MAX_VALUE : (int) Math.min(Integer.MAX_VALUE, Long.parseLong(trimmed));
    }

    private static boolean digits(String s) {
        if (s.isEmpty() || s.length() > MAX_ARGUMENT) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String oneArgument(String rest, String missing) throws Pop3SyntaxException {
        if (rest.isEmpty()) {
            throw new Pop3SyntaxException(missing);
        }
        if (rest.indexOf(' ') >= 0) {
            throw new Pop3SyntaxException("Too many arguments");
        }
        if (rest.length() > MAX_ARGUMENT) {
            throw new Pop3SyntaxException("Argument too long");
        }
        return rest;
    }

    private static void noArguments(String rest, String keyword) throws Pop3SyntaxException {
        if (!rest.isEmpty()) {
            throw new Pop3SyntaxException(keyword + " takes no arguments");
        }
    }
}
