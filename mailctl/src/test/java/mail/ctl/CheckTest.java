package mail.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Failures of `mailctl check` are reported per endpoint and make the exit code non-zero. */
class CheckTest {

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void nothingListeningFailsEveryCheckAndExitsNonZero() throws Exception {
        StringWriter out = new StringWriter();
        int p = freePort();
        String port = Integer.toString(p);
        int rc = Mailctl.run(Map.of(), new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "check",
                "-u", "a@example.test", "--password", "x", "--timeout", "2", "--smtp-port", port, "--submission-port", port,
                "--submissions-port", port, "--imap-port", port, "--imaps-port", port, "--pop3-port", port, "--pop3s-port", port);
        assertThat(rc).isEqualTo(1);
        assertThat(out.toString()).contains("FAIL").doesNotContain("PASS").contains("7 of 7 checks failed")
                .contains("skipped: nothing was sent").contains("ConnectException");
    }

    @Test
    void aServerWithoutStartTlsIsReportedAsSuch() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    OutputStream o = s.getOutputStream();
                    o.write("220 fake ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                    in.readLine();
                    o.write("250-fake\r\n250-PIPELINING\r\n250 8BITMIME\r\n".getBytes(StandardCharsets.US_ASCII));
                    o.flush();
                    in.readLine();
                } catch (Exception e) {
                    // the test asserts on what the client saw
                }
            });
            t.start();
            StringWriter out = new StringWriter();
            int free = freePort();
            int rc = Mailctl.run(Map.of(), new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "check",
                    "-u", "a@example.test", "--password", "x", "--timeout", "2", "--smtp-port",
                    Integer.toString(server.getLocalPort()), "--submission-port", Integer.toString(free),
                    "--submissions-port", Integer.toString(free), "--imap-port", Integer.toString(free),
                    "--imaps-port", Integer.toString(free), "--pop3-port", Integer.toString(free),
                    "--pop3s-port", Integer.toString(free), "--json");
            t.join(5000);
            assertThat(rc).isEqualTo(1);
            assertThat(out.toString()).contains("STARTTLS not offered (capabilities: [PIPELINING, 8BITMIME])")
                    .contains("\"ok\":false");
        }
    }
}
