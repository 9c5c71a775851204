package mail.core.text;

/** Untrusted input made safe to put in a log line or an error message: quoted, escaped, truncated. */
public final class LogText {
    private LogText() {
    }

    public static String quote(String input, int maxChars) {
        if (input == null) {
            return "null";
        }
        int end = Math.min(input.length(), maxChars);
        if (end < input.length() && Character.isHighSurrogate(input.charAt(end - 1))) {
            end--; // do not cut a surrogate pair in half
        }
        StringBuilder sb = new StringBuilder(end + 8).append('"');
        for (int i = 0; i < end; i++) {
            char c = input.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                // keeps CR/LF injected into an SMTP command from splitting the log line
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
        if (end < input.length()) {
            sb.append("... (").append(input.length()).append(" chars)");
        }
        return sb.toString();
    }
}
