package mail.smtp.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FromHeaderTest {

    private static FromHeader.Result read(String message) throws IOException {
        return FromHeader.read(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)), 65536);
    }

    @Test
    void plainAngleAndDisplayNameForms() {
        assertThat(FromHeader.addresses(" alice@example.test")).containsExactly("alice@example.test");
        assertThat(FromHeader.addresses(" Alice Example <alice@example.test>")).containsExactly("alice@example.test");
        assertThat(FromHeader.addresses(" \"Example, Alice\" <alice@example.test>")).containsExactly("alice@example.test");
        assertThat(FromHeader.addresses(" alice@example.test (Alice <bob@example.test>)")).containsExactly("alice@example.test");
        assertThat(FromHeader.addresses(" =?UTF-8?Q?Al=C3=AFce?= <alice@example.test>")).containsExactly("alice@example.test");
    }

    @Test
    void listsAndGroupsYieldEveryMailbox() {
        assertThat(FromHeader.addresses(" a@x.test, \"B\" <b@x.test>")).containsExactly("a@x.test", "b@x.test");
        assertThat(FromHeader.addresses(" Team: a@x.test, B <b@x.test>;")).containsExactly("a@x.test", "b@x.test");
        assertThat(FromHeader.addresses(" \"<bob@x.test>\" <a@x.test>")).containsExactly("a@x.test");
    }

    @Test
    void readsOnlyTheHeaderSectionAndUnfolds() throws IOException {
        FromHeader.Result r = read("Received: from x\r\n\tby y\r\nSubject: hi\r\nFrom: Alice\r\n <alice@example.test>\r\n\r\nFrom: body@evil.test\r\n");
        assertThat(r.count()).isEqualTo(1);
        assertThat(r.addresses()).containsExactly("alice@example.test");
    }

    @Test
    void countsRepeatedFromFieldsAndMissingOnes() throws IOException {
        assertThat(read("From: a@x.test\r\nFROM: b@x.test\r\n\r\nbody").count()).isEqualTo(2);
        assertThat(read("Subject: none\r\n\r\nFrom: a@x.test\r\n").count()).isZero();
    }
}
