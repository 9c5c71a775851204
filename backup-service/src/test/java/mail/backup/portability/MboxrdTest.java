package mail.backup.portability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MboxrdTest {
    private static final Instant T1 = Instant.parse("2026-11-09T10:00:00Z");
    private static final Instant T2 = Instant.parse("2024-02-29T23:59:58Z");

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] mbox(byte[]... messages) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < messages.length; i++) {
            Mboxrd.write(out, "a@example.test", i % 2 == 0 ? T1 : T2, new ByteArrayInputStream(messages[i]));
        }
        return out.toByteArray();
    }

    private record Read(Mboxrd.Envelope envelope, byte[] content) {
    }

    private static List<Read> read(byte[] mbox) throws IOException {
        MboxReader r = new MboxReader(new ByteArrayInputStream(mbox), "test.mbox");
        List<Read> out = new ArrayList<>();
        while (true) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            Mboxrd.Envelope e = r.next(sink);
            if (e == null) {
                return out;
            }
            out.add(new Read(e, sink.toByteArray()));
        }
    }

    @Test
    void fromLinesInTheBodyAreQuotedOneLevelMoreAndComeBackExactly() throws IOException {
        byte[] m = bytes("Subject: quoting\r\n\r\nFrom x\r\n>From x\r\n>>From y\r\nFrom\r\nFromage\r\n>From\r\n> From z\r\n"
                + "\r\nFrom the end\r\n");
        byte[] written = mbox(m);
        String text = new String(written, StandardCharsets.UTF_8);
        assertThat(text).startsWith("From a@example.test Mon Nov  9 10:00:00 2026\n");
        assertThat(text).contains("\r\n>From x\r\n>>From x\r\n>>>From y\r\nFrom\r\nFromage\r\n>From\r\n> From z\r\n\r\n>From the end\r\n\n");
        List<Read> back = read(written);
        assertThat(back).hasSize(1);
        assertThat(back.get(0).content()).isEqualTo(m);
        assertThat(back.get(0).envelope().date()).isEqualTo(T1);
        assertThat(back.get(0).envelope().sender()).isEqualTo("a@example.test");
    }

    @Test
    void manyMessagesWithEmptyLinesAndLfOnlyEndingsRoundTrip() throws IOException {
        byte[] a = bytes("Subject: a\n\nline\n\n\n");
        byte[] b = bytes("Subject: b\r\n\r\nFrom me\r\n");
        byte[] c = bytes("Subject: c\n\n>From\n");
        List<Read> back = read(mbox(a, b, c));
        assertThat(back).extracting(Read::content).containsExactly(a, b, c);
        assertThat(back).extracting(r -> r.envelope().date()).containsExactly(T1, T2, T1);
        assertThat(back).extracting(r -> r.envelope().line()).containsExactly(1L, 8L, 13L);
    }

    @Test
    void aMessageWithoutAFinalLineBreakGainsOne() throws IOException {
        List<Read> back = read(mbox(bytes("Subject: x\r\n\r\nno end")));
        assertThat(back.get(0).content()).isEqualTo(bytes("Subject: x\r\n\r\nno end\n"));
    }

    @Test
    void linesLongerThanTheReadChunkAreCopiedWhole() throws IOException {
        String longLine = "x".repeat(MboxReader.CHUNK * 2 + 17) + "From not a separator";
        byte[] m = bytes("Subject: long\r\n\r\n" + longLine + "\r\nFrom y\r\n");
        assertThat(read(mbox(m)).get(0).content()).isEqualTo(m);
    }

    @Test
    void fromLinesOfOtherWritersWithAZoneAreRead() throws IOException {
        List<Read> back = read(bytes("From x@y Sun Nov 29 12:00:00 +0100 2026\nSubject: z\n\n\n"
                + "From MAILER-DAEMON Fri Jan  2 03:04:05 2026 UTC\nSubject: w\n\n"));
        assertThat(back).extracting(r -> r.envelope().date()).containsExactly(Instant.parse("2026-11-29T11:00:00Z"),
                Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(back.get(0).content()).isEqualTo(bytes("Subject: z\n\n"));
        assertThat(back.get(1).content()).isEqualTo(bytes("Subject: w\n"));
    }

    @Test
    void aFileThatDoesNotStartWithAFromLineIsRefused() {
        assertThatThrownBy(() -> read(bytes("Subject: no separator\n\nbody\n\n")))
                .isInstanceOf(MboxFormatException.class).hasMessageContaining("test.mbox line 1").hasMessageContaining("not an mbox");
    }

    @Test
    void aTruncatedFileIsRefusedNamingTheMessage() throws IOException {
        byte[] whole = mbox(bytes("Subject: a\n\na\n"), bytes("Subject: b\n\nb is longer\n"));
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 6);
        assertThatThrownBy(() -> read(cut)).isInstanceOf(MboxFormatException.class)
                .hasMessageContaining("line 6").hasMessageContaining("truncated");
    }

    @Test
    void aFromLineWithoutADateIsRefusedNamingTheLine() throws IOException {
        byte[] bad = bytes("From a@b Sun Nov 29 12:00:00 2026\nSubject: a\n\nFrom nobody-knows-when\nSubject: b\n\n");
        assertThatThrownBy(() -> read(bad)).isInstanceOf(MboxFormatException.class)
                .hasMessageContaining("line 4").hasMessageContaining("malformed From_ line");
        assertThatThrownBy(() -> read(bytes("From a@b yesterday at noon\nS: x\n\n"))).isInstanceOf(MboxFormatException.class)
                .hasMessageContaining("line 1").hasMessageContaining("asctime");
    }

    @Test
    void anEmptyFileHasNoMessages() throws IOException {
        assertThat(read(new byte[0])).isEmpty();
    }

    @Test
    void oddSendersBecomeMailerDaemon() {
        assertThat(Mboxrd.fromLine("a b@c", T1)).isEqualTo("From MAILER-DAEMON Mon Nov  9 10:00:00 2026\n");
        assertThat(Mboxrd.fromLine(null, T2)).isEqualTo("From MAILER-DAEMON Thu Feb 29 23:59:58 2024\n");
    }
}
