package mail.imap.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import mail.imap.protocol.ImapCommand;
import org.junit.jupiter.api.Test;

class SearchResponsesTest {
    /** Sequence numbers 1..6 are UIDs 10, 20, 21, 22, 40, 50. */
    private final SearchContext ctx = new SearchContext(new long[] {10, 20, 21, 22, 40, 50}, List.of(), Set.of(),
            ZoneOffset.UTC, 8);
    private final SearchResult three = new SearchResult(new long[] {20, 21, 50}, new long[0], false);
    private final SearchResult withModSeq = new SearchResult(new long[] {20, 21, 50}, new long[] {7, 9, 8}, true);

    @Test
    void plainSearchBySequenceAndUid() {
        assertThat(SearchResponses.search(three, false, ctx)).isEqualTo("* SEARCH 2 3 6\r\n");
        assertThat(SearchResponses.search(three, true, ctx)).isEqualTo("* SEARCH 20 21 50\r\n");
        assertThat(SearchResponses.search(SearchResult.empty(false), false, ctx)).isEqualTo("* SEARCH\r\n");
    }

    @Test
    void modSeqIsTheHighestOfTheMatches() {
        // RFC 7162 §3.1.5: * SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)
        assertThat(SearchResponses.search(withModSeq, false, ctx)).isEqualTo("* SEARCH 2 3 6 (MODSEQ 9)\r\n");
        assertThat(SearchResponses.search(SearchResult.empty(true), false, ctx)).isEqualTo("* SEARCH\r\n");
        assertThat(SearchResponses.esearch("a", false, List.of("ALL"), withModSeq, ctx))
                .hasValue("* ESEARCH (TAG \"a\") ALL 2:3,6 MODSEQ 9\r\n");
        assertThat(SearchResponses.esearch("a", true, List.of("MIN"), withModSeq, ctx))
                .as("only the reported message counts").hasValue("* ESEARCH (TAG \"a\") UID MIN 20 MODSEQ 7\r\n");
        assertThat(SearchResponses.esearch("a", true, List.of("MAX"), withModSeq, ctx))
                .hasValue("* ESEARCH (TAG \"a\") UID MAX 50 MODSEQ 8\r\n");
    }

    @Test
    void esearchAsRfc4731Shows() {
        assertThat(SearchResponses.esearch("A282", false, List.of("MIN", "COUNT"), three, ctx))
                .hasValue("* ESEARCH (TAG \"A282\") MIN 2 COUNT 3\r\n");
        assertThat(SearchResponses.esearch("A283", true, List.of("ALL"), three, ctx))
                .hasValue("* ESEARCH (TAG \"A283\") UID ALL 20:21,50\r\n");
        assertThat(SearchResponses.esearch("A284", false, List.of("MIN", "MAX", "COUNT", "ALL"), three, ctx))
                .hasValue("* ESEARCH (TAG \"A284\") MIN 2 MAX 6 COUNT 3 ALL 2:3,6\r\n");
        assertThat(SearchResponses.esearch("A285", true, null, three, ctx))
                .as("no RETURN in IMAP4rev2 is ALL").hasValue("* ESEARCH (TAG \"A285\") UID ALL 20:21,50\r\n");
        assertThat(SearchResponses.esearch("A286", false, List.of(), three, ctx))
                .as("RETURN () is ALL").hasValue("* ESEARCH (TAG \"A286\") ALL 2:3,6\r\n");
    }

    @Test
    void emptyResultsLeaveOutMinMaxAndAllButCount() {
        SearchResult none = SearchResult.empty(false);
        assertThat(SearchResponses.esearch("B1", false, List.of("MIN", "MAX", "COUNT", "ALL"), none, ctx))
                .hasValue("* ESEARCH (TAG \"B1\") COUNT 0\r\n");
        assertThat(SearchResponses.esearch("B2", true, List.of("ALL"), none, ctx))
                .hasValue("* ESEARCH (TAG \"B2\") UID\r\n");
    }

    @Test
    void saveAloneSendsNoEsearchAndSavesEverything() {
        assertThat(SearchResponses.esearch("C1", false, List.of("SAVE"), three, ctx)).isEmpty();
        assertThat(SearchResponses.saved(List.of("SAVE"), three)).hasValue(List.of(20L, 21L, 50L));
        assertThat(SearchResponses.saved(List.of("SAVE", "MIN"), three)).hasValue(List.of(20L));
        assertThat(SearchResponses.saved(List.of("SAVE", "MAX"), three)).hasValue(List.of(50L));
        assertThat(SearchResponses.saved(List.of("SAVE", "MIN", "MAX"), three)).hasValue(List.of(20L, 50L));
        assertThat(SearchResponses.saved(List.of("SAVE", "MIN", "COUNT"), three)).hasValue(List.of(20L, 21L, 50L));
        assertThat(SearchResponses.saved(List.of("MIN"), three)).isEmpty();
        assertThat(SearchResponses.saved(null, three)).isEmpty();
        assertThat(SearchResponses.saved(List.of("SAVE", "MIN"), SearchResult.empty(false))).hasValue(List.of());
        assertThat(SearchResponses.esearch("C2", false, List.of("SAVE", "COUNT"), three, ctx))
                .hasValue("* ESEARCH (TAG \"C2\") COUNT 3\r\n");
    }

    @Test
    void tagsAreQuotedSafely() {
        assertThat(SearchResponses.esearch("a\"b\\c", false, List.of("COUNT"), three, ctx))
                .hasValue("* ESEARCH (TAG \"a\\\"b\\\\c\") COUNT 3\r\n");
    }

    @Test
    void compaction() {
        assertThat(SearchResponses.compact(new long[] {1, 2, 3, 4, 7})).isEqualTo("1:4,7");
        assertThat(SearchResponses.compact(new long[] {5})).isEqualTo("5");
        assertThat(SearchResponses.compact(new long[] {1, 3, 5, 6})).isEqualTo("1,3,5:6");
        assertThat(SearchResponses.compact(new long[0])).isEmpty();
    }

    @Test
    void regexEscapingKeepsEveryPunctuationLiteral() {
        String nasty = ".*+?^$()[]{}|\\/-=<>!#&\"'";
        String escaped = SearchFilters.escape(nasty);
        assertThat(java.util.regex.Pattern.compile(escaped).matcher("x" + nasty + "y").find()).isTrue();
        assertThat(java.util.regex.Pattern.compile(escaped).matcher("anything").find()).isFalse();
        assertThat(SearchFilters.escape("a\u0001b")).isEqualTo("a\\x01b");
        assertThat(SearchFilters.escape("Grüße")).isEqualTo("Grüße");
        assertThat(SearchFilters.collapse("  pizza \t at\r\n noon ")).isEqualTo("pizza at noon");
    }

    @Test
    void constantCriteriaNeedNoQuery() {
        assertThat(SearchFilters.translate(new ImapCommand.Not(new ImapCommand.FlagKey("ALL")), ctx).matchesNone()).isTrue();
        assertThat(SearchFilters.translate(new ImapCommand.FlagKey("RECENT"), ctx).matchesNone()).isTrue();
        assertThat(SearchFilters.translate(new ImapCommand.And(List.of(new ImapCommand.FlagKey("ALL"),
                new ImapCommand.TextKey("SUBJECT", " "))), ctx).matchesAll()).isTrue();
        assertThat(SearchFilters.usesModSeq(new ImapCommand.Or(new ImapCommand.FlagKey("SEEN"),
                new ImapCommand.Not(new ImapCommand.ModSeq(5))))).isTrue();
    }
}
