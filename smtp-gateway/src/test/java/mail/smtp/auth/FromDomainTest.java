package mail.smtp.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The From domain DMARC is evaluated for: one From with one address, as a plain DNS name, or none at all. */
class FromDomainTest {
    @TempDir
    Path dir;

    private String from(String headers) throws Exception {
        Path f = dir.resolve("m.eml");
        Files.write(f, (headers + "\r\nbody\r\n").getBytes(StandardCharsets.UTF_8));
        return SenderChecks.fromDomain(f);
    }

    @Test
    void oneFromAddressGivesItsDomainInLowerCaseALabels() throws Exception {
        assertThat(from("From: \"Bank\" <Service@Example.COM>\r\nSubject: x\r\n")).isEqualTo("example.com");
        assertThat(from("Subject: x\r\nFrom: info@bücher.de\r\n")).isEqualTo("xn--bcher-kva.de");
        assertThat(from("From: (comment) a@b.example.org (more)\r\n")).isEqualTo("b.example.org");
    }

    @Test
    void noneSeveralOrUnusableFromAddressesGiveNoDomain() throws Exception {
        assertThat(from("Subject: no from\r\n")).isNull();
        assertThat(from("From: a@one.example\r\nFrom: b@two.example\r\n")).isNull();
        assertThat(from("From: a@one.example, b@two.example\r\n")).isNull();
        assertThat(from("From: a@[192.0.2.1]\r\n")).isNull();
        assertThat(from("From: a@localhost\r\n")).isNull();
        assertThat(from("From: a@evil\u0001.example\r\n")).isNull();
        assertThat(from("From: a@under_score.example\r\n")).isNull();
        assertThat(from("From: no-at-sign\r\n")).isNull();
    }

    @Test
    void dnsNamesAreBounded() {
        assertThat(SenderChecks.dnsName("a".repeat(250) + ".com")).isNull();
        assertThat(SenderChecks.dnsName("-bad.example")).isNull();
        assertThat(SenderChecks.dnsName("ok-1.example")).isEqualTo("ok-1.example");
    }
}
