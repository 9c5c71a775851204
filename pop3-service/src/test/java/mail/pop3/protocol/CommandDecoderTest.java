package mail.pop3.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CommandDecoderTest {

    @Test
    void commandsAreCaseInsensitiveAndCarryTheirArguments() throws Exception {
        assertThat(CommandDecoder.decode("user alice@example.test")).isEqualTo(new Pop3Command.User("alice@example.test"));
        assertThat(CommandDecoder.decode("PASS with spaces  inside")).isEqualTo(new Pop3Command.Pass("with spaces  inside"));
        assertThat(CommandDecoder.decode("list")).isEqualTo(new Pop3Command.List(OptionalInt.empty()));
        assertThat(CommandDecoder.decode("LIST 3")).isEqualTo(new Pop3Command.List(OptionalInt.of(3)));
        assertThat(CommandDecoder.decode("Uidl 007")).isEqualTo(new Pop3Command.Uidl(OptionalInt.of(7)));
        assertThat(CommandDecoder.decode("TOP 1 0")).isEqualTo(new Pop3Command.Top(1, 0));
        assertThat(CommandDecoder.decode("RETR 99999999999999")).isEqualTo(new Pop3Command.Retr(Integer.MAX_VALUE));
        assertThat(CommandDecoder.decode("AUTH")).isEqualTo(new Pop3Command.Auth(Optional.empty(), Optional.empty()));
        assertThat(CommandDecoder.decode("AUTH PLAIN =")).isEqualTo(new Pop3Command.Auth(Optional.of("PLAIN"), Optional.of("=")));
        assertThat(CommandDecoder.decode("capa")).isEqualTo(new Pop3Command.Capa());
    }

    @Test
    void malformedLinesAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> CommandDecoder.decode("XYZZY secret")).hasMessage("Unknown command");
        assertThatThrownBy(() -> CommandDecoder.decode("")).hasMessage("Unknown command");
        assertThatThrownBy(() -> CommandDecoder.decode("RETR")).hasMessage("RETR needs a message number");
        assertThatThrownBy(() -> CommandDecoder.decode("RETR x")).hasMessage("Invalid message number");
        assertThatThrownBy(() -> CommandDecoder.decode("RETR -1")).hasMessage("Invalid message number");
        assertThatThrownBy(() -> CommandDecoder.decode("DELE 0")).hasMessage("Invalid message number");
        assertThatThrownBy(() -> CommandDecoder.decode("RETR 1 2")).hasMessage("Too many arguments");
        assertThatThrownBy(() -> CommandDecoder.decode("TOP 1")).hasMessage("Syntax: TOP message lines");
        assertThatThrownBy(() -> CommandDecoder.decode("TOP 1 x")).hasMessage("Invalid number of lines");
        assertThatThrownBy(() -> CommandDecoder.decode("STAT 1")).hasMessage("STAT takes no arguments");
        assertThatThrownBy(() -> CommandDecoder.decode("USER " + "a".repeat(41))).hasMessage("Argument too long");
        assertThatThrownBy(() -> CommandDecoder.decode("PASS")).hasMessage("PASS needs a password");
        assertThatThrownBy(() -> CommandDecoder.decode("AUTH PLAIN a b")).hasMessage("Syntax: AUTH mechanism [initial-response]");
    }

    @Test
    void multiLineRepliesAreDotStuffedAndTerminated() {
        assertThat(new String(Pop3Reply.multiLine("x", java.util.List.of("A", ".B")).encode(), java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("+OK x\r\nA\r\n..B\r\n.\r\n");
        assertThat(new String(Pop3Reply.err(Pop3Reply.Code.IN_USE, "locked").encode(), java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("-ERR [IN-USE] locked\r\n");
    }
}
