package mail.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RepliesTest {

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(Replies.OK, 250, "2.0.0"),
                Arguments.of(Replies.SENDER_OK, 250, "2.1.0"),
                Arguments.of(Replies.RECIPIENT_OK, 250, "2.1.5"),
                Arguments.of(Replies.SYNTAX, 501, "5.5.4"),
                Arguments.of(Replies.BAD_SENDER_SYNTAX, 501, "5.1.7"),
                Arguments.of(Replies.BAD_RECIPIENT_SYNTAX, 501, "5.1.3"),
                Arguments.of(Replies.BAD_SEQUENCE, 503, "5.5.1"),
                Arguments.of(Replies.UNKNOWN_COMMAND, 500, "5.5.2"),
                Arguments.of(Replies.LINE_TOO_LONG, 500, "5.5.2"),
                Arguments.of(Replies.COMMAND_NOT_IMPLEMENTED, 502, "5.5.1"),
                Arguments.of(Replies.PARAMETER_NOT_IMPLEMENTED, 504, "5.5.4"),
                Arguments.of(Replies.PARAMETERS_NOT_RECOGNIZED, 555, "5.5.4"),
                Arguments.of(Replies.NON_ASCII_SENDER, 553, "5.6.7"),
                Arguments.of(Replies.NON_ASCII_RECIPIENT, 553, "5.6.7"),
                Arguments.of(Replies.TOO_MANY_RECIPIENTS, 452, "4.5.3"),
                Arguments.of(Replies.MESSAGE_TOO_BIG, 552, "5.3.4"),
                Arguments.of(Replies.INSUFFICIENT_STORAGE, 452, "4.3.1"),
                Arguments.of(Replies.RELAY_DENIED, 550, "5.7.1"),
                Arguments.of(Replies.NO_SUCH_USER, 550, "5.1.1"),
                Arguments.of(Replies.SENDER_NOT_OWNED, 553, "5.7.1"),
                Arguments.of(Replies.AUTH_REQUIRED, 530, "5.7.0"),
                Arguments.of(Replies.ENCRYPTION_REQUIRED, 530, "5.7.0"),
                Arguments.of(Replies.AUTH_OK, 235, "2.7.0"),
                Arguments.of(Replies.AUTH_FAILED, 535, "5.7.8"),
                Arguments.of(Replies.AUTH_TEMP_FAILURE, 454, "4.7.0"),
                Arguments.of(Replies.AUTH_BLOCKED, 454, "4.7.0"),
                Arguments.of(Replies.AUTH_MECHANISM_UNKNOWN, 504, "5.5.4"),
                Arguments.of(Replies.AUTH_MECHANISM_TOO_WEAK, 534, "5.7.9"),
                Arguments.of(Replies.AUTH_ENCRYPTION_REQUIRED, 538, "5.7.11"),
                Arguments.of(Replies.AUTH_BAD_BASE64, 501, "5.5.2"),
                Arguments.of(Replies.AUTH_LINE_TOO_LONG, 500, "5.5.6"),
                Arguments.of(Replies.AUTH_CANCELLED, 501, "5.7.0"),
                Arguments.of(Replies.ALREADY_AUTHENTICATED, 503, "5.5.1"),
                Arguments.of(Replies.READY_TO_START_TLS, 220, "2.0.0"),
                Arguments.of(Replies.TLS_NOT_AVAILABLE, 454, "4.7.0"),
                Arguments.of(Replies.TEMP_FAILURE, 451, "4.3.0"),
                Arguments.of(Replies.DIRECTORY_UNAVAILABLE, 451, "4.4.3"),
                Arguments.of(Replies.TIMEOUT, 421, "4.4.2"),
                Arguments.of(Replies.VRFY, 252, "2.5.0"),
                Arguments.of(Replies.START_DATA, 354, null),
                Arguments.of(Replies.MESSAGE_ACCEPTED, 250, "2.0.0"),
                Arguments.of(Replies.BYE, 221, "2.0.0"));
    }

    @ParameterizedTest
    @MethodSource("table")
    void constantHasTheCodesOfItsRfc(SmtpReply reply, int code, String enhanced) {
        assertThat(reply.code()).isEqualTo(code);
        assertThat(reply.enhancedCode()).isEqualTo(enhanced);
        assertThat(reply.lines()).hasSize(1).allSatisfy(line -> assertThat(line).isNotBlank());
    }

    @Test
    void tableCoversEveryConstant() throws IllegalAccessException {
        List<SmtpReply> constants = new ArrayList<>();
        for (Field f : Replies.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == SmtpReply.class) {
                constants.add((SmtpReply) f.get(null));
            }
        }
        List<Object> tabled = table().map(a -> a.get()[0]).toList();

        assertThat(tabled).containsExactlyInAnyOrderElementsOf(constants);
    }

    @Test
    void everyTwoFourFiveHundredConstantCarriesAnEnhancedCode() throws IllegalAccessException {
        for (Field f : Replies.class.getFields()) {
            if (f.getType() == SmtpReply.class) {
                SmtpReply reply = (SmtpReply) f.get(null);
                if (reply.code() / 100 != 3) {
                    assertThat(reply.enhancedCode()).as(f.getName()).isNotNull();
                }
            }
        }
    }

    @Test
    void encryptionRequiredUsesTheRfc3207Text() {
        assertThat(Replies.ENCRYPTION_REQUIRED.lines()).containsExactly("Must issue a STARTTLS command first");
    }

    @Test
    void greetingAndHeloRepliesCarryNoEnhancedCode() {
        // RFC 2034 §3: not the initial greeting nor any response to HELO or EHLO
        assertThat(Replies.greeting("mx.example.net", "ESMTP ready")).isEqualTo(
                SmtpReply.withoutEnhancedCode(220, "mx.example.net ESMTP ready"));
        assertThat(Replies.helo("mx.example.net").enhancedCode()).isNull();
        assertThat(Replies.ehlo("mx.example.net", "hello", List.of("PIPELINING")).enhancedCode()).isNull();
    }

    @Test
    void ehloPutsTheGreetingFirstAndOneKeywordPerLine() {
        SmtpReply reply = Replies.ehlo("mx.example.net", "at your service", List.of("PIPELINING", "AUTH PLAIN LOGIN"));

        assertThat(reply.code()).isEqualTo(250);
        assertThat(reply.lines()).containsExactly("mx.example.net at your service", "PIPELINING", "AUTH PLAIN LOGIN");
    }

    @Test
    void byeAndTimeoutNameTheServer() {
        assertThat(ReplyEncoder.encodeToString(Replies.bye("mx.example.net"), true))
                .isEqualTo("221 2.0.0 mx.example.net Service closing transmission channel\r\n");
        assertThat(ReplyEncoder.encodeToString(Replies.timeout("mx.example.net"), true))
                .isEqualTo("421 4.4.2 mx.example.net Timeout exceeded, closing connection\r\n");
    }

    @Test
    void authChallengeIsA334WithoutEnhancedCode() {
        assertThat(ReplyEncoder.encodeToString(Replies.authChallenge("VXNlcm5hbWU6"), true))
                .isEqualTo("334 VXNlcm5hbWU6\r\n");
    }
}
