package mail.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import mail.core.address.Domain;
import mail.smtp.protocol.RcptParameters.Notify;
import mail.smtp.protocol.RcptParameters.OriginalRecipient;
import org.junit.jupiter.api.Test;

/** Invariants of the value types themselves, for callers that build them without the parser. */
class ValuesTest {

    @Test
    void limitsRefuseLessThanTheRfcMinimum() {
        assertThatThrownBy(() -> new Limits(511, 12_288))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("512");
        assertThatThrownBy(() -> new Limits(1000, 999)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Limits.DEFAULT).isEqualTo(new Limits(512, 12_288));
    }

    @Test
    void parserOptionsCopyTheExtensionSet() {
        Set<Extension> extensions = new HashSet<>(Set.of(Extension.SIZE));
        ParserOptions options = new ParserOptions(Domain.parse("mx.example.net"), extensions, Limits.DEFAULT);
        extensions.add(Extension.DSN);

        assertThat(options.advertises(Extension.SIZE)).isTrue();
        assertThat(options.advertises(Extension.DSN)).isFalse();
        assertThatThrownBy(() -> options.extensions().add(Extension.AUTH))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void parserOptionsAcceptAnEmptyExtensionSet() {
        ParserOptions options = new ParserOptions(Domain.parse("mx.example.net"), Set.of(), Limits.DEFAULT);
        assertThat(options.extensions()).isEmpty();
        assertThat(options.mailLineLength()).isEqualTo(512);
        assertThat(options.rcptLineLength()).isEqualTo(512);
    }

    @Test
    void parserOptionsRequireAPostmasterDomain() {
        assertThatThrownBy(() -> new ParserOptions(null, Set.of(), Limits.DEFAULT))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void notifyNeverMustStandAlone() {
        assertThatThrownBy(() -> new RcptParameters(EnumSet.of(Notify.NEVER, Notify.SUCCESS), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new RcptParameters(EnumSet.of(Notify.NEVER), Optional.empty()).notifyOn())
                .containsExactly(Notify.NEVER);
    }

    @Test
    void rcptParametersAreImmutable() {
        Set<Notify> notify = EnumSet.of(Notify.FAILURE);
        RcptParameters params = new RcptParameters(notify, Optional.empty());
        notify.add(Notify.DELAY);

        assertThat(params.notifyOn()).containsExactly(Notify.FAILURE);
        assertThatThrownBy(() -> params.notifyOn().add(Notify.SUCCESS))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void orcptNeedsTypeAndAddress() {
        assertThatThrownBy(() -> new OriginalRecipient("", "a@b.example")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OriginalRecipient("rfc822", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mailParametersRefuseANegativeSize() {
        assertThatThrownBy(() -> new MailParameters(OptionalLong.of(-1), Optional.empty(), false, Optional.empty(),
                Optional.empty(), Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThat(MailParameters.NONE.size()).isEmpty();
        assertThat(MailParameters.NONE.smtpUtf8()).isFalse();
    }

    @Test
    void bdatRefusesANegativeSize() {
        assertThatThrownBy(() -> new SmtpCommand.Bdat(-1, true)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new SmtpCommand.Bdat(0, true).chunkSize()).isZero();
    }

    @Test
    void argumentlessCommandsAreEqualValues() {
        assertThat(new SmtpCommand.Data()).isEqualTo(new SmtpCommand.Data()).isNotEqualTo(new SmtpCommand.Rset());
    }

    @Test
    void syntaxExceptionCarriesTheReplyButNoStackTrace() {
        SmtpSyntaxException e = new SmtpSyntaxException(Replies.SYNTAX.withText("Bad thing"));

        assertThat(e.reply()).isEqualTo(Replies.SYNTAX.withText("Bad thing"));
        assertThat(e.getMessage()).isEqualTo("501 Bad thing");
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.closeConnection()).isFalse();
        assertThat(new SmtpSyntaxException(Replies.SYNTAX, true).closeConnection()).isTrue();
    }
}
