package mail.smtp.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReceivedHeaderTest {

    private static final ZonedDateTime DATE = ZonedDateTime.of(2025, 7, 1, 10, 52, 37, 0, ZoneId.of("Europe/Berlin"));

    private static ReceivedHeader.Builder base() {
        return ReceivedHeader.builder()
                .from("client.example.org", "client.example.org", "192.0.2.7")
                .by("mx.example.com")
                .with("ESMTPS")
                .id("01HZX3K8Q2")
                .recipients(List.of("bob@example.com"))
                .date(DATE);
    }

    private static void assertWellFormed(String header) {
        assertThat(header).startsWith("Received: ").endsWith("\r\n");
        String[] lines = header.substring(0, header.length() - 2).split("\r\n", -1);
        for (int i = 0; i < lines.length; i++) {
            assertThat(lines[i]).doesNotContain("\r").doesNotContain("\n");
            assertThat(lines[i].length()).as("line %d", i).isLessThanOrEqualTo(998);
            if (i > 0) {
                assertThat(lines[i]).startsWith("\t");
                assertThat(lines[i].trim()).isNotEmpty();
            }
        }
        assertThat(header.chars().allMatch(c -> c >= 0x20 && c < 0x7F || c == '\r' || c == '\n' || c == '\t'))
                .as("ASCII only").isTrue();
    }

    @Test
    void rendersTheFullTraceWithEveryClause() {
        String header = base()
                .with("ESMTPSA")
                .tls("TLSv1.3", "TLS_AES_256_GCM_SHA384")
                .authenticatedUser("alice@example.com")
                .render();
        assertThat(header).isEqualTo(
                "Received: from client.example.org (client.example.org [192.0.2.7])\r\n"
                        + "\tby mx.example.com (mailplatform) with ESMTPSA id 01HZX3K8Q2\r\n"
                        + "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)\r\n"
                        + "\t(authenticated user alice@example.com)\r\n"
                        + "\tfor <bob@example.com>; Tue, 1 Jul 2025 10:52:37 +0200\r\n");
        assertWellFormed(header);
    }

    @Test
    void plainMxDeliveryHasNoTlsOrAuthLines() {
        String header = base().with("ESMTP").render();
        assertThat(header).isEqualTo(
                "Received: from client.example.org (client.example.org [192.0.2.7])\r\n"
                        + "\tby mx.example.com (mailplatform) with ESMTP id 01HZX3K8Q2\r\n"
                        + "\tfor <bob@example.com>; Tue, 1 Jul 2025 10:52:37 +0200\r\n");
    }

    @Test
    void nullTlsFactsMeanNoTls() {
        assertThat(base().tls(null, null).authenticatedUser(null).render()).isEqualTo(base().render());
        assertThatThrownBy(() -> base().tls("TLSv1.3", null).build()).isInstanceOf(NullPointerException.class);
    }

    @Test
    void noForClauseUnlessExactlyOneRecipient() {
        for (List<String> rcpts : List.of(List.<String>of(), List.of("a@example.com", "b@example.com"))) {
            String header = base().recipients(rcpts).render();
            assertThat(header).doesNotContain("for ").doesNotContain("a@example.com");
            assertThat(header).endsWith(
                    "\tby mx.example.com (mailplatform) with ESMTPS id 01HZX3K8Q2;\r\n"
                            + "\tTue, 1 Jul 2025 10:52:37 +0200\r\n");
            assertWellFormed(header);
        }
    }

    @Test
    void dateGoesOnTheLastCommentLineWhenItFits() {
        String header = base().recipients(List.of()).tls("TLSv1.2", "ECDHE").render();
        assertThat(header).endsWith("\t(using TLSv1.2 with cipher ECDHE); Tue, 1 Jul 2025 10:52:37 +0200\r\n");
    }

    @Test
    void recipientInAngleBracketsIsNotDoubled() {
        assertThat(base().recipients(List.of("<bob@example.com>")).render()).contains("for <bob@example.com>;");
    }

    @Test
    void withoutReverseDnsTheTcpInfoIsTheAddressLiteralAlone() {
        String header = base().from("client.example.org", null, "192.0.2.7").render();
        assertThat(header).startsWith("Received: from client.example.org ([192.0.2.7])\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example (forged [1.2.3.4])", "-bad-.example", "a..b", "x\r\nX-Spam: no", ""})
    void reverseDnsThatIsNotAHostNameIsDropped(String rdns) {
        String header = base().from("h.example", rdns, "192.0.2.7").render();
        assertThat(header).startsWith("Received: from h.example ([192.0.2.7])\r\n");
    }

    @Test
    void reverseDnsLosesItsRootDot() {
        assertThat(base().from("h", "ptr.example.net.", "192.0.2.7").render())
                .startsWith("Received: from h (ptr.example.net [192.0.2.7])\r\n");
    }

    @ParameterizedTest
    @CsvSource({
            "2001:db8::1, [IPv6:2001:db8::1]",
            "2001:0db8:0000:0000:0000:0000:0000:0001, [IPv6:2001:db8::1]",
            "2001:db8:0:1:0:0:0:1, [IPv6:2001:db8:0:1::1]",
            "2001:db8:0:0:1:0:0:1, [IPv6:2001:db8::1:0:0:1]",
            "::1, [IPv6:::1]",
            "fe80::1%eth0, [IPv6:fe80::1]",
            "[IPv6:2001:db8::2], [IPv6:2001:db8::2]",
            "::ffff:192.0.2.9, [192.0.2.9]",
            "2001:db8:1:2:3:4:5:6, [IPv6:2001:db8:1:2:3:4:5:6]",
            "[198.51.100.1], [198.51.100.1]"
    })
    void addressLiteralsFollowRfc5321AndRfc5952(String ip, String literal) {
        assertThat(base().from("h", null, ip).render()).startsWith("Received: from h (" + literal + ")\r\n");
    }

    @Test
    void acceptsAnInetAddress() throws Exception {
        InetAddress ip = InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 5});
        assertThat(base().from("h", null, ip).render()).startsWith("Received: from h ([203.0.113.5])");
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "cafe", "999.1.1.1", "1.2.3", "1:2", "", "[]"})
    void clientIpMustBeALiteralAndIsNeverResolved(String ip) {
        assertThatThrownBy(() -> base().from("h", null, ip).build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void heloIsSanitizedAgainstHeaderInjection() {
        String header = base().from("evil\r\nX-Injected: yes\r\n\tby trusted.example", null, "192.0.2.7").render();
        assertThat(header).doesNotContain("\r\nX-Injected").doesNotContain("\r\n\tby trusted");
        assertThat(header).startsWith("Received: from evilX-Injected:?yesby?trusted.example ([192.0.2.7])\r\n");
        assertWellFormed(header);
    }

    @Test
    void heloCannotForgeCommentsOrTheDateSeparator() {
        assertThat(ReceivedHeader.sanitizeHelo("a (b) ; c")).isEqualTo("a??b????c");
        assertThat(ReceivedHeader.sanitizeHelo("x\u0000y\u007fz\u0085w")).isEqualTo("xyzw");
        assertThat(ReceivedHeader.sanitizeHelo("b\u00fccher.example")).isEqualTo("b?cher.example");
        assertThat(ReceivedHeader.sanitizeHelo("[192.0.2.1]")).isEqualTo("[192.0.2.1]");
        assertThat(ReceivedHeader.sanitizeHelo("\r\n")).isEqualTo("unknown");
    }

    @Test
    void heloIsKeptAsGivenOtherwiseEvenIfItLies() {
        assertThat(base().from("localhost", null, "192.0.2.7").render())
                .startsWith("Received: from localhost ([192.0.2.7])\r\n");
        assertThat(base().from("[10.0.0.1]", null, "192.0.2.7").render())
                .startsWith("Received: from [10.0.0.1] ([192.0.2.7])\r\n");
    }

    @Test
    void longHeloIsCutAndFoldedOntoItsOwnLine() {
        String helo = "a".repeat(600);
        String header = base().from(helo, "client.example.org", "192.0.2.7").render();
        assertThat(header).startsWith("Received: from " + "a".repeat(255) + "\r\n\t(client.example.org [192.0.2.7])\r\n");
        assertWellFormed(header);
    }

    @Test
    void everyLineStaysWithin78WhenTheWordsAllowIt() {
        String header = base()
                .from("mail-relay-01.some-long-subdomain.customer.example.org",
                        "mail-relay-01.some-long-subdomain.customer.example.org", "2001:db8:1234:5678:9abc:def0:1234:5678")
                .by("mx01.a-rather-long-hostname.mailplatform.example.com")
                .with("UTF8SMTPSA")
                .id("0123456789ABCDEFGHJKMNPQRS")
                .tls("TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256")
                .authenticatedUser("firstname.lastname@department.a-long-organisation.example")
                .recipients(List.of("another.long.recipient.address@subdomain.example.org"))
                .render();
        assertWellFormed(header);
        for (String line : header.split("\r\n")) {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(78);
        }
        String unfolded = header.replace("\r\n\t", " ").replace("\r\n", "");
        assertThat(unfolded).matches(Pattern.compile(
                "Received: from \\S+ \\(\\S+ \\[IPv6:[0-9a-f:]+\\]\\) by \\S+ \\(mailplatform\\) with UTF8SMTPSA id \\S+"
                        + " \\(using TLSv1\\.3 with cipher \\S+\\) \\(authenticated user \\S+\\)"
                        + " for <\\S+>; \\w{3}, \\d{1,2} \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}"));
    }

    @Test
    void dateUsesANumericZoneEvenForUtc() {
        String header = base().date(Instant.parse("2025-01-05T03:04:05Z"), ZoneOffset.UTC).render();
        assertThat(header).endsWith("; Sun, 5 Jan 2025 03:04:05 +0000\r\n");
        String negative = base().date(Instant.parse("2025-01-05T03:04:05Z"), ZoneId.of("America/New_York")).render();
        assertThat(negative).endsWith("; Sat, 4 Jan 2025 22:04:05 -0500\r\n");
    }

    @Test
    void authenticatedUserIsSanitizedToo() {
        String header = base().authenticatedUser("bob) (forged\r\nX: y").with("ESMTPA").render();
        assertThat(header).contains("\t(authenticated user bob???forgedX:?y)\r\n");
    }

    @Test
    void utf8RecipientIsKeptOnlyUnderSmtpUtf8() {
        assertThat(base().with("UTF8SMTPS").recipients(List.of("jürgen@bücher.example")).render())
                .contains("for <jürgen@bücher.example>;");
        assertThat(base().with("ESMTPS").recipients(List.of("jürgen@bücher.example")).render())
                .contains("for <j?rgen@b?cher.example>;");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SMTP", "ESMTP", "ESMTPA", "ESMTPS", "ESMTPSA", "UTF8SMTP", "UTF8SMTPA", "UTF8SMTPS",
            "UTF8SMTPSA", "LMTP", "LMTPSA", "UTF8LMTPS"})
    void acceptsRegisteredWithTypes(String protocol) {
        assertThat(base().with(protocol).render()).contains(" with " + protocol + " id ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SMTPS", "SMTPA", "esmtp", "HTTP", "ESMTP\r\nX: y", ""})
    void rejectsUnregisteredWithTypes(String protocol) {
        assertThatThrownBy(() -> base().with(protocol).build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ownValuesAreValidatedNotSanitized() {
        assertThatThrownBy(() -> base().by("mx example").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base().id("a b").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base().tls("TLSv1.3)", "x").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base().date((ZonedDateTime) null).build()).isInstanceOf(NullPointerException.class);
    }
}
