package mail.directory.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DnsRecordsTest {

    @Test
    void shortTxtValuesAreOneQuotedString() {
        assertThat(DnsRecords.quoted("v=spf1 mx -all")).isEqualTo("\"v=spf1 mx -all\"");
    }

    @Test
    void longTxtValuesAreSplitInto255OctetStringsAndQuotesAreEscaped() {
        String value = "p=" + "A".repeat(600);
        String zone = DnsRecords.quoted(value);
        assertThat(zone).startsWith("( \"").endsWith("\" )");
        List<String> parts = List.of(zone.substring(3, zone.length() - 3).split("\" \""));
        assertThat(parts).hasSize(3).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(255));
        assertThat(String.join("", parts)).isEqualTo(value);
        assertThat(DnsRecords.quoted("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    }
}
