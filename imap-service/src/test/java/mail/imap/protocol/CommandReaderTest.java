package mail.imap.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandReaderTest {

    /** Frames the input and returns a reader over its first command. */
    private static CommandReader reader(String input, boolean utf8) {
        List<List<Segment>> commands = new ArrayList<>();
        ImapFramer f = new ImapFramer(new ImapFramerTest.Recorder() {
            @Override
            public void command(List<Segment> segments) {
                commands.add(segments);
            }
        }, 1000);
        f.feed(input.getBytes(StandardCharsets.UTF_8));
        assertThat(commands).hasSize(1);
        return new CommandReader(commands.get(0), utf8);
    }

    private static CommandReader reader(String input) {
        return reader(input, false);
    }

    @Test
    void loginWithAtomsQuotedAndLiterals() {
        CommandReader r = reader("A001 LOGIN \"al\\\"ice\" {6}\r\nse cre\r\n");
        assertThat(r.tag()).isEqualTo("A001");
        r.sp();
        assertThat(r.atom()).isEqualTo("LOGIN");
        r.sp();
        assertThat(r.astring()).isEqualTo("al\"ice");
        r.sp();
        assertThat(r.astring()).isEqualTo("se cre");
        r.end();
    }

    @Test
    void tagsMayNotContainPlusOrSpecials() {
        assertThat(reader("a+b NOOP\r\n").tag()).isEqualTo("a");
        assertThatThrownBy(() -> reader("+ NOOP\r\n").tag()).isInstanceOf(ImapSyntaxException.class);
        assertThatThrownBy(() -> reader("(x NOOP\r\n").tag()).isInstanceOf(ImapSyntaxException.class);
        assertThat(reader("a]b NOOP\r\n").tag()).isEqualTo("a]b");
    }

    @Test
    void quotedStringRules() {
        assertThatThrownBy(() -> reader("a X \"a\\nb\"\r\n").skipTo(4).string())
                .isInstanceOf(ImapSyntaxException.class).hasMessageContaining("escaped");
        assertThatThrownBy(() -> reader("a X \"unterminated\r\n").skipTo(4).string())
                .isInstanceOf(ImapSyntaxException.class);
        assertThatThrownBy(() -> reader("a X \"caf\u00e9\"\r\n").skipTo(4).string())
                .isInstanceOf(ImapSyntaxException.class).hasMessageContaining("UTF8");
        assertThat(reader("a X \"caf\u00e9\"\r\n", true).skipTo(4).string()).isEqualTo("caf\u00e9");
    }

    @Test
    void nstringAndNil() {
        CommandReader r = reader("a X NIL \"x\" nil\r\n").skipTo(4);
        assertThat(r.nstring()).isNull();
        r.sp();
        assertThat(r.nstring()).isEqualTo("x");
        r.sp();
        assertThat(r.nstring()).isNull();
        r.end();
    }

    @Test
    void numbers() {
        CommandReader r = reader("a X 0 4294967295 4294967296 0\r\n").skipTo(4);
        assertThat(r.number32()).isZero();
        r.sp();
        assertThat(r.nzNumber()).isEqualTo(4294967295L);
        r.sp();
        assertThatThrownBy(r::number32).isInstanceOf(ImapSyntaxException.class);
        assertThatThrownBy(() -> reader("a X 0\r\n").skipTo(4).nzNumber()).isInstanceOf(ImapSyntaxException.class);
        assertThatThrownBy(() -> reader("a X 99999999999999999999\r\n").skipTo(4).number())
                .isInstanceOf(ImapSyntaxException.class);
    }

    @Test
    void listMailboxAllowsWildcards() {
        CommandReader r = reader("a LIST \"\" %/Sub*\r\n").skipTo(7);
        assertThat(r.listMailbox()).isEmpty();
        r.sp();
        assertThat(r.listMailbox()).isEqualTo("%/Sub*");
        r.end();
    }

    @Test
    void endRejectsTrailingGarbage() {
        CommandReader r = reader("a NOOP extra\r\n");
        r.tag();
        r.sp();
        r.atom();
        assertThatThrownBy(r::end).isInstanceOf(ImapSyntaxException.class).hasMessageContaining("extra arguments");
    }

    @Test
    void literalMustBeTheEndOfItsLine() {
        CommandReader r = reader("a X {3}\r\nabc\r\n").skipTo(4);
        Segment.Literal l = r.literal();
        assertThat(new String(l.bytes(), StandardCharsets.US_ASCII)).isEqualTo("abc");
        r.end();
    }

    @Test
    void binaryLiteral() {
        CommandReader r = reader("a X ~{2}\r\n\u0000\u0001\r\n").skipTo(4);
        Segment.Literal l = r.literal();
        assertThat(l.binary()).isTrue();
        assertThat(l.bytes()).containsExactly(0, 1);
    }

    @Test
    void sequenceSets() {
        CommandReader r = reader("a FETCH 1:3,7,*:5 FLAGS\r\n").skipTo(8);
        SequenceSet s = r.sequenceSet(100);
        assertThat(s).hasToString("1:3,7,*:5");
        assertThat(s.resolve(9)).containsExactly(new SequenceSet.Range(1, 3), new SequenceSet.Range(5, 9));
    }
}
