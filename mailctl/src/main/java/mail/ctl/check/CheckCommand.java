package mail.ctl.check;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The built-in replacement for "test it with telnet": every protocol endpoint is connected to, its greeting,
 * capabilities and TLS (certificate included unless --insecure) are checked, the account logs in, sends a message to
 * itself over submission and reads it back over IMAP and POP3. Exit code 1 if anything failed.
 */
@Command(name = "check", description = "Check every mail endpoint end to end and print a pass/fail table.")
public final class CheckCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "mail host (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = {"-u", "--user"}, required = true, description = "account address to log in as")
    String user;

    @Option(names = "--password", description = "its password")
    String password;

    @Option(names = "--password-stdin", description = "read the password from standard input")
    boolean passwordStdin;

    @Option(names = "--insecure", description = "accept self-signed / unverifiable certificates")
    boolean insecure;

    @Option(names = "--smtp-port", defaultValue = "2525")
    int smtpPort;

    @Option(names = "--submission-port", defaultValue = "2587")
    int submissionPort;

    @Option(names = "--submissions-port", defaultValue = "2465")
    int submissionsPort;

    @Option(names = "--imap-port", defaultValue = "2143")
    int imapPort;

    @Option(names = "--imaps-port", defaultValue = "2993")
    int imapsPort;

    @Option(names = "--pop3-port", defaultValue = "2110")
    int pop3Port;

    @Option(names = "--pop3s-port", defaultValue = "2995")
    int pop3sPort;

    @Option(names = "--timeout", defaultValue = "10", description = "seconds per network operation")
    int timeoutSeconds;

    @Option(names = "--wait", defaultValue = "30", description = "seconds to wait for the test message to arrive")
    int waitSeconds;

    @CommandLine.ParentCommand
    mail.ctl.Mailctl root;

    record Result(String check, boolean ok, long millis, String detail) {
    }

    interface Step {
        String run() throws Exception;
    }

    @Override
    public Integer call() {
        String pw = mail.ctl.api.Secrets.password(password, passwordStdin, "Password for " + user + ": ");
        Checks.Target t = new Checks.Target(host, user, pw, insecure, Duration.ofSeconds(timeoutSeconds));
        Duration wait = Duration.ofSeconds(waitSeconds);
        String token = "check-" + UUID.randomUUID();
        List<Result> results = new ArrayList<>();
        results.add(run("SMTP MX " + smtpPort + " STARTTLS", () -> Checks.smtpStartTls(t, smtpPort, false)));
        results.add(run("SMTP submission " + submissionPort + " STARTTLS+AUTH", () -> Checks.smtpStartTls(t, submissionPort, true)));
        Result sent = run("SMTP submissions " + submissionsPort + " TLS, send to self", () -> Checks.smtpSend(t, submissionsPort, token));
        results.add(sent);
        results.add(run("IMAP " + imapPort + " STARTTLS", () -> Checks.imapStartTls(t, imapPort)));
        results.add(sent.ok() ? run("IMAPS " + imapsPort + " login, read back", () -> Checks.imapRead(t, imapsPort, token, wait))
                : new Result("IMAPS " + imapsPort + " login, read back", false, 0, "skipped: nothing was sent"));
        results.add(run("POP3 " + pop3Port + " STLS", () -> Checks.pop3StartTls(t, pop3Port)));
        results.add(sent.ok() ? run("POP3S " + pop3sPort + " login, read back", () -> Checks.pop3Read(t, pop3sPort, token, wait))
                : new Result("POP3S " + pop3sPort + " login, read back", false, 0, "skipped: nothing was sent"));
        print(spec.commandLine().getOut(), results);
        return results.stream().allMatch(Result::ok) ? 0 : 1;
    }

    static Result run(String name, Step step) {
        long start = System.nanoTime();
        try {
            String detail = step.run();
            return new Result(name, true, (System.nanoTime() - start) / 1_000_000, detail);
        } catch (Checks.CheckFailed e) {
            return new Result(name, false, (System.nanoTime() - start) / 1_000_000, e.getMessage());
        } catch (SSLException e) {
            return new Result(name, false, (System.nanoTime() - start) / 1_000_000,
                    "TLS failed: " + e.getMessage() + " (self-signed? use --insecure)");
        } catch (IOException e) {
            return new Result(name, false, (System.nanoTime() - start) / 1_000_000,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (Exception e) {
            return new Result(name, false, (System.nanoTime() - start) / 1_000_000, e.toString());
        }
    }

    void print(PrintWriter out, List<Result> results) {
        if (root.jsonOutput()) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < results.size(); i++) {
                Result r = results.get(i);
                b.append(i == 0 ? "" : ",").append("\n  {\"check\":").append(q(r.check())).append(",\"ok\":").append(r.ok())
                        .append(",\"millis\":").append(r.millis()).append(",\"detail\":").append(q(r.detail())).append('}');
            }
            out.println(b.append("\n]"));
        } else {
            int w = results.stream().mapToInt(r -> r.check().length()).max().orElse(10);
            out.println(String.format("%-" + w + "s  %-6s %8s  %s", "CHECK", "RESULT", "TIME", "DETAIL"));
            for (Result r : results) {
                out.println(String.format("%-" + w + "s  %-6s %6dms  %s", r.check(), r.ok() ? "PASS" : "FAIL",
                        r.millis(), r.detail()));
            }
            long failed = results.stream().filter(r -> !r.ok()).count();
            out.println(failed == 0 ? "all " + results.size() + " checks passed" : failed + " of " + results.size() + " checks failed");
        }
        out.flush();
    }

    private static String q(String s) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(s == null ? "" : s).toString();
    }
}
