package mail.imap.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseWriterTest {

    private static String text(ResponseWriter w) {
        return new String(w.toBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void astringPrefersAtoms() {
        assertThat(text(new ResponseWriter(false).astring("INBOX"))).isEqualTo("INBOX");
        assertThat(text(new ResponseWriter(false).astring("Sent Items"))).isEqualTo("\"Sent Items\"");
        assertThat(text(new ResponseWriter(false).astring(""))).isEqualTo("\"\"");
        // NIL as an atom would read as NIL
        assertThat(text(new ResponseWriter(false).astring("nil"))).isEqualTo("\"nil\"");
        assertThat(text(new ResponseWriter(false).astring("a%b"))).isEqualTo("\"a%b\"");
    }

    @Test
    void quotedEscapes() {
        assertThat(text(new ResponseWriter(false).string("say \"hi\" \\o/"))).isEqualTo("\"say \\\"hi\\\" \\\\o/\"");
    }

    @Test
    void crlfAndEightBitBecomeLiterals() {
        assertThat(text(new ResponseWriter(false).string("a\r\nb"))).isEqualTo("{4}\r\na\r\nb");
        assertThat(text(new ResponseWriter(false).string("caf\u00e9"))).isEqualTo("{5}\r\ncaf\u00e9");
        assertThat(text(new ResponseWriter(true).string("caf\u00e9"))).isEqualTo("\"caf\u00e9\"");
        // invalid UTF-8 is never sent quoted, even to a UTF-8 client
        byte[] bad = {'a', (byte) 0xC3};
        assertThat(new ResponseWriter(true).string(bad).toBytes()).startsWith("{2}\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void nilAndLongStrings() {
        assertThat(text(new ResponseWriter(false).nstring((String) null))).isEqualTo("NIL");
        assertThat(text(new ResponseWriter(false).string("x".repeat(5000)))).startsWith("{5000}\r\n");
    }
}
