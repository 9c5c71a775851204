package mail.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyEncoderTest {

    @Test
    void singleLineWithEnhancedCode() {
        assertThat(ReplyEncoder.encodeToString(SmtpReply.of(250, "2.1.0", "Ok"), true))
                .isEqualTo("250 2.1.0 Ok\r\n");
    }

    @Test
    void singleLineWithEnhancedCodesDisabled() {
        assertThat(ReplyEncoder.encodeToString(SmtpReply.of(250, "2.1.0", "Ok"), false))
                .isEqualTo("250 Ok\r\n");
    }

    @Test
    void replyWithoutEnhancedCodeIsTheSameEitherWay() {
        SmtpReply reply = Replies.START_DATA;

        assertThat(ReplyEncoder.encodeToString(reply, true))
                .isEqualTo("354 Start mail input; end with <CRLF>.<CRLF>\r\n")
                .isEqualTo(ReplyEncoder.encodeToString(reply, false));
    }

    @Test
    void multiLineUsesHyphenOnAllButTheLastLine() {
        SmtpReply ehlo = Replies.ehlo("mx.example.net", "greets client.example.org",
                List.of("PIPELINING", "SIZE 52428800", "ENHANCEDSTATUSCODES"));

        assertThat(ReplyEncoder.encodeToString(ehlo, true)).isEqualTo(
                "250-mx.example.net greets client.example.org\r\n"
                        + "250-PIPELINING\r\n"
                        + "250-SIZE 52428800\r\n"
                        + "250 ENHANCEDSTATUSCODES\r\n");
    }

    @Test
    void multiLineRepeatsTheEnhancedCodeOnEveryLine() {
        // RFC 2034 §4: "the same status code must appear at the beginning of the text in each line"
        SmtpReply reply = SmtpReply.of(550, "5.7.1", "Message rejected", "see https://example.net/policy");

        assertThat(ReplyEncoder.encodeToString(reply, true)).isEqualTo(
                "550-5.7.1 Message rejected\r\n550 5.7.1 see https://example.net/policy\r\n");
        assertThat(ReplyEncoder.encodeToString(reply, false)).isEqualTo(
                "550-Message rejected\r\n550 see https://example.net/policy\r\n");
    }

    @Test
    void emptyTextStillGetsTheSeparatorSpace() {
        assertThat(ReplyEncoder.encodeToString(Replies.authChallenge(""), true)).isEqualTo("334 \r\n");
        assertThat(ReplyEncoder.encodeToString(SmtpReply.of(250, "2.0.0", ""), true)).isEqualTo("250 2.0.0 \r\n");
    }

    @Test
    void bytesAreTheUtf8OfTheText() {
        SmtpReply reply = SmtpReply.of(250, "2.1.5", "<δοκιμή@example.com> ok");

        assertThat(ReplyEncoder.encode(reply, true))
                .isEqualTo("250 2.1.5 <δοκιμή@example.com> ok\r\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void neverEmitsCrOrLfInsideALine() {
        SmtpReply reply = SmtpReply.of(550, "5.1.1", "a\r\n250 2.0.0 fake", "b\rc", "d\ne");
        String wire = ReplyEncoder.encodeToString(reply, true);

        assertThat(wire).isEqualTo("550-5.1.1 a??250 2.0.0 fake\r\n550-5.1.1 b?c\r\n550 5.1.1 d?e\r\n");
        // exactly one CR and one LF per line, and only as the terminator
        assertThat(wire.chars().filter(c -> c == '\r').count()).isEqualTo(3);
        assertThat(wire.chars().filter(c -> c == '\n').count()).isEqualTo(3);
        assertThat(wire.split("\r\n")).allSatisfy(line -> assertThat(line).doesNotContain("\r", "\n"));
    }

    @Test
    void longLinesAreCutToFiveHundredTwelveOctets() {
        SmtpReply reply = SmtpReply.of(550, "5.1.1", "x".repeat(2000));

        byte[] enhanced = ReplyEncoder.encode(reply, true);
        byte[] plain = ReplyEncoder.encode(reply, false);

        assertThat(enhanced).hasSize(ReplyEncoder.MAX_REPLY_LINE_OCTETS);
        assertThat(plain).hasSize(ReplyEncoder.MAX_REPLY_LINE_OCTETS);
        assertThat(new String(enhanced, StandardCharsets.US_ASCII)).startsWith("550 5.1.1 xxx").endsWith("x\r\n");
    }

    @Test
    void lineThatJustFitsIsNotCut() {
        String text = "y".repeat(512 - "250 2.0.0 ".length() - 2);
        String wire = ReplyEncoder.encodeToString(SmtpReply.of(250, "2.0.0", text), true);

        assertThat(wire).isEqualTo("250 2.0.0 " + text + "\r\n");
        assertThat(wire).hasSize(512);
    }

    @Test
    void cutNeverSplitsAMultiByteCharacter() {
        // "€" is 3 octets in UTF-8; 500 octets of budget is not a multiple of 3
        SmtpReply reply = SmtpReply.of(250, null, "€".repeat(400));

        byte[] wire = ReplyEncoder.encode(reply, false);
        String decoded = new String(wire, StandardCharsets.UTF_8);

        assertThat(wire.length).isLessThanOrEqualTo(512);
        assertThat(decoded).doesNotContain("\uFFFD").startsWith("250 €").endsWith("€\r\n");
        assertThat(decoded.length() - 6).isEqualTo((512 - 6) / 3);
    }

    @Test
    void cutNeverSplitsASurrogatePair() {
        SmtpReply reply = SmtpReply.of(250, null, "😀".repeat(200));

        String decoded = new String(ReplyEncoder.encode(reply, false), StandardCharsets.UTF_8);

        assertThat(decoded).doesNotContain("\uFFFD", "?");
        assertThat(decoded.codePoints().filter(cp -> cp == 0x1F600).count()).isEqualTo((512 - 6) / 4);
    }

    @Test
    void eachLineOfAMultiLineReplyIsCutSeparately() {
        SmtpReply reply = SmtpReply.of(250, "2.0.0", "a".repeat(600), "short");
        String[] lines = ReplyEncoder.encodeToString(reply, true).split("\r\n");

        assertThat(lines).hasSize(2);
        assertThat(lines[0]).hasSize(510).startsWith("250-2.0.0 aaa");
        assertThat(lines[1]).isEqualTo("250 2.0.0 short");
    }
}
