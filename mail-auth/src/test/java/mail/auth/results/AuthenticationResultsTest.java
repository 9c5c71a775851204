package mail.auth.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The header we add, and the removal of forged ones claiming our authserv-id. */
class AuthenticationResultsTest {

    @Test
    void oneFieldWithEveryMethodFoldedBetweenResults() {
        String h = new String(new AuthenticationResults("mx.example.net")
                .add(AuthenticationResults.spf("pass", "mailfrom", "alice@example.com"))
                .add("dkim=pass (2048-bit key) header.d=example.com header.s=sel1 header.b=AbCdEfGh")
                .add("dmarc=pass (p=reject dis=none) header.from=example.com").header(), StandardCharsets.UTF_8);
        assertThat(h).startsWith("Authentication-Results: mx.example.net;")
                .contains("\tspf=pass smtp.mailfrom=alice@example.com;\r\n");
        assertThat(h).endsWith("header.from=example.com\r\n");
        for (String line : h.split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(998);
        }
        assertThat(h.split("\r\n")).hasSizeGreaterThan(1).allMatch(l -> l.startsWith("Authentication-Results:") || l.startsWith("\t"));
        assertThat(new String(new AuthenticationResults("mx.example.net").header(), StandardCharsets.UTF_8))
                .isEqualTo("Authentication-Results: mx.example.net; none\r\n");
        assertThat(AuthenticationResults.value("a b")).isEqualTo("\"a b\"");
        assertThatThrownBy(() -> new AuthenticationResults("mx.example.net").add("spf=pass\r\nX-Injected: 1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuthenticationResults("bad id;")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String filter(String message, boolean byteByByte, int max) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ForgedResultsFilter f = new ForgedResultsFilter(out, "MX.example.net", max)) {
            byte[] b = message.getBytes(StandardCharsets.ISO_8859_1);
            if (byteByByte) {
                for (byte x : b) {
                    f.write(x);
                }
            } else {
                f.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void forgedFieldsAreRemovedOthersAndTheBodyStay() throws Exception {
        String in = "Received: from a\r\n\tby b\r\n"
                + "Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=ceo@example.net\r\n"
                + "authentication-results: (forged) MX.EXAMPLE.NET;\r\n dkim=pass header.d=example.net\r\n"
                + "Authentication-Results: relay.example.org; spf=fail\r\n"
                + "Subject: hello\r\n"
                + "\r\n"
                + "Authentication-Results: mx.example.net; body text is not a header\r\n";
        String want = "Received: from a\r\n\tby b\r\n"
                + "Authentication-Results: relay.example.org; spf=fail\r\n"
                + "Subject: hello\r\n"
                + "\r\n"
                + "Authentication-Results: mx.example.net; body text is not a header\r\n";
        assertThat(filter(in, false, 4096)).isEqualTo(want);
        assertThat(filter(in, true, 4096)).isEqualTo(want);
    }

    @Test
    void aFieldTooLongToHoldPassesUnchangedAndFilteringGoesOn() throws Exception {
        String longField = "X-Long: " + "a".repeat(200) + "\r\n";
        String in = longField + "Authentication-Results: mx.example.net; spf=pass\r\nSubject: s\r\n\r\nbody\r\n";
        assertThat(filter(in, false, 64)).isEqualTo(longField + "Subject: s\r\n\r\nbody\r\n");
    }

    @Test
    void aMessageWithoutBodyKeepsItsLastField() throws Exception {
        assertThat(filter("Subject: only headers\r\n", false, 4096)).isEqualTo("Subject: only headers\r\n");
    }
}
