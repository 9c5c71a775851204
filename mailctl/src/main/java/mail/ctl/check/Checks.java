package mail.ctl.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The protocol conversations of {@code mailctl check}, written against the RFCs (5321/3207/4954 for SMTP, 9051/3501
 * for IMAP, 1939/2449/2595 for POP3). Each throws {@link CheckFailed} with what was expected and what came.
 */
final class Checks {
    private Checks() {
    }

    static final class CheckFailed extends Exception {
        CheckFailed(String message) {
            super(message);
        }
    }

    record Target(String host, String user, String password, boolean insecure, Duration timeout) {
    }

    // ---- SMTP

    static List<String> smtpReply(Wire w, String expectCode, String what) throws IOException, CheckFailed {
        List<String> lines = new ArrayList<>();
        String l;
        do {
            l = w.line();
            lines.add(l);
        } while (l.length() >= 4 && l.charAt(3) == '-');
        if (!l.startsWith(expectCode)) {
            throw new CheckFailed(what + ": expected " + expectCode + ", got '" + l + "'");
        }
        return lines;
    }

    static List<String> ehlo(Wire w) throws IOException, CheckFailed {
        w.send("EHLO mailctl.check");
        List<String> caps = new ArrayList<>();
        for (String l : smtpReply(w, "250", "EHLO")) {
            caps.add(l.substring(4).toUpperCase(Locale.ROOT));
        }
        return caps.subList(1, caps.size());
    }

    /** MX or submission with STARTTLS: greeting, EHLO, STARTTLS, handshake, EHLO again. */
    static String smtpStartTls(Target t, int port, boolean expectAuth) throws IOException, CheckFailed {
        try (Wire w = Wire.connect(t.host(), port, false, t.insecure(), t.timeout())) {
            smtpReply(w, "220", "greeting");
            List<String> caps = ehlo(w);
            if (!caps.contains("STARTTLS")) {
                throw new CheckFailed("STARTTLS not offered (capabilities: " + caps + ")");
            }
            w.send("STARTTLS");
            smtpReply(w, "220", "STARTTLS");
            w.startTls();
            List<String> after = ehlo(w);
            if (expectAuth && after.stream().noneMatch(c -> c.startsWith("AUTH "))) {
                throw new CheckFailed("no AUTH after STARTTLS (capabilities: " + after + ")");
            }
            if (expectAuth) {
                authPlain(w, t);
            }
            w.send("QUIT");
            return w.tls() + ", " + after.size() + " extensions" + (expectAuth ? ", AUTH PLAIN ok" : "");
        }
    }

    private static void authPlain(Wire w, Target t) throws IOException, CheckFailed {
        String creds = Base64.getEncoder().encodeToString(("\0" + t.user() + "\0" + t.password()).getBytes(StandardCharsets.UTF_8));
        w.send("AUTH PLAIN " + creds);
        smtpReply(w, "235", "AUTH PLAIN as " + t.user());
    }

    /** Submission over implicit TLS: log in and send a message to ourselves, identified by {@code token}. */
    static String smtpSend(Target t, int port, String token) throws IOException, CheckFailed {
        try (Wire w = Wire.connect(t.host(), port, true, t.insecure(), t.timeout())) {
            smtpReply(w, "220", "greeting");
            ehlo(w);
            authPlain(w, t);
            w.send("MAIL FROM:<" + t.user() + ">");
            smtpReply(w, "250", "MAIL FROM");
            w.send("RCPT TO:<" + t.user() + ">");
            smtpReply(w, "250", "RCPT TO");
            w.send("DATA");
            smtpReply(w, "354", "DATA");
            w.sendRaw("From: <" + t.user() + ">\r\nTo: <" + t.user() + ">\r\nSubject: mailctl check " + token
                    + "\r\nMessage-ID: <" + token + "@mailctl.check>\r\n\r\nsent by mailctl check; safe to delete\r\n.\r\n");
            String queued = smtpReply(w, "250", "end of DATA").get(0);
            w.send("QUIT");
            return w.tls() + ", " + queued;
        }
    }

    // ---- IMAP

    private static int tags;

    static List<String> imap(Wire w, String command, String what) throws IOException, CheckFailed {
        String tag = "c" + (++tags);
        w.send(tag + " " + command);
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = w.line();
            lines.add(l);
            if (l.startsWith(tag + " ")) {
                if (!l.startsWith(tag + " OK")) {
                    throw new CheckFailed(what + ": " + l.substring(tag.length() + 1));
                }
                return lines;
            }
        }
    }

    static String imapGreeting(Wire w) throws IOException, CheckFailed {
        String g = w.line();
        if (!g.startsWith("* OK")) {
            throw new CheckFailed("greeting: expected '* OK', got '" + g + "'");
        }
        return g;
    }

    static String imapStartTls(Target t, int port) throws IOException, CheckFailed {
        try (Wire w = Wire.connect(t.host(), port, false, t.insecure(), t.timeout())) {
            imapGreeting(w);
            List<String> caps = imap(w, "CAPABILITY", "CAPABILITY");
            if (caps.stream().noneMatch(l -> l.toUpperCase(Locale.ROOT).contains("STARTTLS"))) {
                throw new CheckFailed("STARTTLS not offered");
            }
            imap(w, "STARTTLS", "STARTTLS");
            w.startTls();
            imap(w, "CAPABILITY", "CAPABILITY after TLS");
            imap(w, "LOGOUT", "LOGOUT");
            return w.tls();
        }
    }

    /** IMAPS: log in, find the message with {@code token} in INBOX (waiting for delivery), log out. */
    static String imapRead(Target t, int port, String token, Duration wait) throws IOException, CheckFailed,
            InterruptedException {
        try (Wire w = Wire.connect(t.host(), port, true, t.insecure(), t.timeout())) {
            imapGreeting(w);
            imap(w, "LOGIN " + quoted(t.user()) + " " + quoted(t.password()), "LOGIN");
            long deadline = System.currentTimeMillis() + wait.toMillis();
            while (true) {
                imap(w, "SELECT INBOX", "SELECT INBOX");
                for (String l : imap(w, "UID SEARCH HEADER Message-ID " + quoted("<" + token + "@mailctl.check>"), "SEARCH")) {
                    if (l.startsWith("* SEARCH ") && l.length() > "* SEARCH ".length()) {
                        imap(w, "LOGOUT", "LOGOUT");
                        return w.tls() + ", found UID " + l.substring("* SEARCH ".length()).trim();
                    }
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new CheckFailed("the test message did not arrive in INBOX within " + wait.toSeconds() + " s");
                }
                Thread.sleep(1000);
            }
        }
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    // ---- POP3

    static String pop(Wire w, String command, String what) throws IOException, CheckFailed {
        if (command != null) {
            w.send(command);
        }
        String l = w.line();
        if (!l.startsWith("+OK")) {
            throw new CheckFailed(what + ": " + l);
        }
        return l;
    }

    static List<String> popMulti(Wire w, String command, String what) throws IOException, CheckFailed {
        pop(w, command, what);
        List<String> lines = new ArrayList<>();
        for (String l = w.line(); !l.equals("."); l = w.line()) {
            lines.add(l.startsWith("..") ? l.substring(1) : l);
        }
        return lines;
    }

    static String pop3StartTls(Target t, int port) throws IOException, CheckFailed {
        try (Wire w = Wire.connect(t.host(), port, false, t.insecure(), t.timeout())) {
            pop(w, null, "greeting");
            List<String> caps = popMulti(w, "CAPA", "CAPA");
            if (caps.stream().noneMatch(c -> c.equalsIgnoreCase("STLS"))) {
                throw new CheckFailed("STLS not offered (CAPA: " + caps + ")");
            }
            pop(w, "STLS", "STLS");
            w.startTls();
            popMulti(w, "CAPA", "CAPA after TLS");
            pop(w, "QUIT", "QUIT");
            return w.tls();
        }
    }

    static String pop3Read(Target t, int port, String token, Duration wait) throws IOException, CheckFailed,
            InterruptedException {
        long deadline = System.currentTimeMillis() + wait.toMillis();
        while (true) {
            try (Wire w = Wire.connect(t.host(), port, true, t.insecure(), t.timeout())) {
                pop(w, null, "greeting");
                pop(w, "USER " + t.user(), "USER");
                pop(w, "PASS " + t.password(), "PASS");
                List<String> list = popMulti(w, "LIST", "LIST");
                for (int i = list.size() - 1; i >= 0; i--) {
                    String n = list.get(i).split(" ")[0];
                    for (String h : popMulti(w, "TOP " + n + " 0", "TOP")) {
                        if (h.toLowerCase(Locale.ROOT).startsWith("message-id:") && h.contains(token)) {
                            pop(w, "QUIT", "QUIT");
                            return w.tls() + ", found message " + n;
                        }
                    }
                }
                pop(w, "QUIT", "QUIT");
                if (System.currentTimeMillis() > deadline) {
                    throw new CheckFailed("the test message did not arrive within " + wait.toSeconds() + " s");
                }
            }
            Thread.sleep(1000);
        }
    }
}
