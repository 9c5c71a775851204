package mail.ctl.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Passwords from an option, the first line of standard input, or a prompt without echo. */
public final class Secrets {
    private Secrets() {
    }

    public static String password(String given, boolean fromStdin, String prompt) {
        if (given != null) {
            return given;
        }
        if (fromStdin) {
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) {
                    throw new CliException(CliException.USAGE, "no password on standard input");
                }
                return line;
            } catch (IOException e) {
                throw new CliException(CliException.USAGE, "cannot read the password: " + e.getMessage());
            }
        }
        if (System.console() == null) {
            throw new CliException(CliException.USAGE, "no terminal to ask for the password: use --password or --password-stdin");
        }
        char[] p = System.console().readPassword(prompt);
        if (p == null || p.length == 0) {
            throw new CliException(CliException.USAGE, "no password given");
        }
        return new String(p);
    }
}
