package mail.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmtpReplyTest {

    @Test
    void keepsCodeEnhancedCodeAndLines() {
        SmtpReply reply = SmtpReply.of(250, "2.1.0", "Sender ok");

        assertThat(reply.code()).isEqualTo(250);
        assertThat(reply.enhancedCode()).isEqualTo("2.1.0");
        assertThat(reply.lines()).containsExactly("Sender ok");
        assertThat(reply.text()).isEqualTo("Sender ok");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 199, 600, 999, -250})
    void rejectsCodesOutsideTwoHundredToFiveNinetyNine(int code) {
        assertThatThrownBy(() -> SmtpReply.of(code, null, "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("200..599");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.5", "5.5.2.1", "55.5.2", "5.5.", "5..2", "5.1234.2", "5.5.1234", "a.b.c", "5.5.x", " 5.5.2", ""})
    void rejectsMalformedEnhancedCodes(String enhanced) {
        assertThatThrownBy(() -> SmtpReply.of(550, enhanced, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsThreeDigitSubjectAndDetail() {
        assertThat(SmtpReply.of(538, "5.7.11", "x").enhancedCode()).isEqualTo("5.7.11");
        assertThat(SmtpReply.of(550, "5.123.456", "x").enhancedCode()).isEqualTo("5.123.456");
    }

    @Test
    void enhancedClassMustAgreeWithReplyCode() {
        assertThatThrownBy(() -> SmtpReply.of(550, "4.1.1", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not agree");
        assertThatThrownBy(() -> SmtpReply.of(250, "5.0.0", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void threeHundredRepliesCannotCarryAnEnhancedCode() {
        // RFC 2034 §4: "3xx responses are NOT included"; no class 3 exists
        assertThatThrownBy(() -> SmtpReply.of(354, "3.0.0", "go ahead"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmtpReply.of(354, "2.0.0", "go ahead"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SmtpReply.withoutEnhancedCode(354, "go ahead").enhancedCode()).isNull();
    }

    @Test
    void needsAtLeastOneLine() {
        assertThatThrownBy(() -> new SmtpReply(250, "2.0.0", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SmtpReply(250, "2.0.0", null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void rejectsNullLine() {
        List<String> lines = new ArrayList<>();
        lines.add(null);
        assertThatThrownBy(() -> new SmtpReply(250, "2.0.0", lines)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void linesAreCopiedAndImmutable() {
        List<String> lines = new ArrayList<>(List.of("one", "two"));
        SmtpReply reply = new SmtpReply(250, null, lines);
        lines.add("three");

        assertThat(reply.lines()).containsExactly("one", "two");
        assertThatThrownBy(() -> reply.lines().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void crLfAndOtherControlCharactersInLinesBecomeQuestionMarks() {
        SmtpReply reply = SmtpReply.of(550, "5.1.1", "evil\r\n250 2.0.0 injected", "nul\0tab\tdel\u007fc1\u0085ls\u2028ps\u2029");

        assertThat(reply.lines()).containsExactly("evil??250 2.0.0 injected", "nul?tab?del?c1?ls?ps?");
        assertThat(reply.lines()).noneMatch(l -> l.contains("\r") || l.contains("\n"));
    }

    @Test
    void nonAsciiTextIsKept() {
        assertThat(SmtpReply.of(250, "2.1.5", "<用户@例子.广告> ok").lines()).containsExactly("<用户@例子.广告> ok");
    }

    @Test
    void withTextKeepsCodesAndReplacesLines() {
        SmtpReply reply = Replies.SYNTAX.withText("Bad SIZE value");

        assertThat(reply.code()).isEqualTo(501);
        assertThat(reply.enhancedCode()).isEqualTo("5.5.4");
        assertThat(reply.lines()).containsExactly("Bad SIZE value");
        assertThat(Replies.SYNTAX.lines()).containsExactly("Syntax error in parameters or arguments");
    }

    @Test
    void withMoreLinesAppends() {
        SmtpReply reply = Replies.helo("mx.example.net").withMoreLines(List.of("PIPELINING", "8BITMIME"));

        assertThat(reply.lines()).containsExactly("mx.example.net", "PIPELINING", "8BITMIME");
        assertThat(reply.enhancedCode()).isNull();
    }

    @Test
    void classifiesByFirstDigit() {
        assertThat(Replies.OK.isPositive()).isTrue();
        assertThat(Replies.START_DATA.isPositive()).isTrue();
        assertThat(Replies.TOO_MANY_RECIPIENTS.isTransientFailure()).isTrue();
        assertThat(Replies.TOO_MANY_RECIPIENTS.isPermanentFailure()).isFalse();
        assertThat(Replies.NO_SUCH_USER.isPermanentFailure()).isTrue();
        assertThat(Replies.NO_SUCH_USER.isPositive()).isFalse();
    }

    @Test
    void textJoinsLinesWithSpaces() {
        assertThat(SmtpReply.of(250, null, "a", "b", "c").text()).isEqualTo("a b c");
    }
}
