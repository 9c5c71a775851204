package mail.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.EnumSet;
import java.util.List;
import mail.core.address.Domain;

final class Fixtures {

    static final Domain SERVER = Domain.parse("mx.example.net");
    static final CommandParser PARSER = new CommandParser(ParserOptions.allExtensions(SERVER));

    private Fixtures() {
    }

    static CommandParser parserWith(Extension... extensions) {
        EnumSet<Extension> set = EnumSet.noneOf(Extension.class);
        set.addAll(List.of(extensions));
        return new CommandParser(new ParserOptions(SERVER, set, Limits.DEFAULT));
    }

    static SmtpSyntaxException rejection(CommandParser parser, String line, boolean utf8Transaction) {
        SmtpSyntaxException e = catchThrowableOfType(SmtpSyntaxException.class,
                () -> parser.parse(line, utf8Transaction));
        assertThat(e).as("expected %s to be rejected", line).isNotNull();
        return e;
    }

    static SmtpSyntaxException rejection(String line) {
        return rejection(PARSER, line, false);
    }

    /** Asserts the reply code and enhanced code of the rejection and returns its reply. */
    static SmtpReply rejected(CommandParser parser, String line, boolean utf8, int code, String enhanced) {
        SmtpReply reply = rejection(parser, line, utf8).reply();
        assertThat(reply.code()).as("reply code for %s (%s)", line, reply.text()).isEqualTo(code);
        assertThat(reply.enhancedCode()).as("enhanced code for %s (%s)", line, reply.text()).isEqualTo(enhanced);
        return reply;
    }

    static SmtpReply rejected(String line, int code, String enhanced) {
        return rejected(PARSER, line, false, code, enhanced);
    }

    static <T extends SmtpCommand> T parse(String line, Class<T> type) throws SmtpSyntaxException {
        return parse(PARSER, line, false, type);
    }

    static <T extends SmtpCommand> T parse(CommandParser parser, String line, boolean utf8, Class<T> type)
            throws SmtpSyntaxException {
        SmtpCommand command = parser.parse(line, utf8);
        assertThat(command).isInstanceOf(type);
        return type.cast(command);
    }
}
