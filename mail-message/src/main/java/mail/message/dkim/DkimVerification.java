package mail.message.dkim;

import java.util.List;
import java.util.stream.Collectors;

/** The results for every DKIM-Signature of a message, in the order the fields appear (top first). */
public record DkimVerification(List<DkimResult> results) {

    public DkimVerification {
        results = List.copyOf(results);
    }

    /** Passing signatures, e.g. for DMARC alignment against their d=. */
    public List<DkimResult> passes() {
        return results.stream().filter(DkimResult::passed).toList();
    }

    /** The dkim part of an Authentication-Results field: one resinfo per signature, or dkim=none. */
    public String authResultsClauses() {
        if (results.isEmpty()) {
            return "dkim=none";
        }
        return results.stream().map(DkimResult::authResultsClause).collect(Collectors.joining(";\r\n\t"));
    }
}
