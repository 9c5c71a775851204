package mail.imap.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import mail.imap.protocol.SequenceSet.Range;
import org.junit.jupiter.api.Test;

class SequenceSetTest {

    @Test
    void resolvesStarSortsAndMerges() {
        SequenceSet s = SequenceSet.parse("5:3,1,2,*,8:9", 10);
        assertThat(s.resolve(12)).containsExactly(new Range(1, 5), new Range(8, 9), new Range(12, 12));
        assertThat(s.contains(4, 12)).isTrue();
        assertThat(s.contains(6, 12)).isFalse();
    }

    @Test
    void starInAnEmptyMailboxResolvesToNothing() {
        assertThat(SequenceSet.parse("*", 10).resolve(0)).isEmpty();
        assertThat(SequenceSet.parse("1:*", 10).resolve(0)).isEmpty();
    }

    @Test
    void reversedRangeWithStar() {
        // RFC 9051: "*:4" with 3 messages is 3:4
        assertThat(SequenceSet.parse("*:4", 10).resolve(3)).containsExactly(new Range(3, 4));
    }

    @Test
    void savedResult() {
        SequenceSet s = SequenceSet.parse("$", 10);
        assertThat(s.savedResult()).isTrue();
        assertThat(s).hasToString("$");
        assertThatThrownBy(() -> s.resolve(5)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void invalidSets() {
        for (String bad : List.of("", "0", "1:0", "a", "1,", ",1", "1::2", "1:2:3", "4294967296", "-1", "1,$", "$:1")) {
            assertThatThrownBy(() -> SequenceSet.parse(bad, 10)).as(bad).isInstanceOf(ImapSyntaxException.class);
        }
    }

    @Test
    void rangeLimit() {
        assertThat(SequenceSet.parse("1,3,5", 3).ranges()).hasSize(3);
        assertThatThrownBy(() -> SequenceSet.parse("1,3,5,7", 3)).isInstanceOf(ImapSyntaxException.class)
                .hasMessageContaining("too many ranges");
    }

    @Test
    void format() {
        assertThat(SequenceSet.format(List.of(new Range(1, 3), new Range(7, 7)))).isEqualTo("1:3,7");
    }
}
