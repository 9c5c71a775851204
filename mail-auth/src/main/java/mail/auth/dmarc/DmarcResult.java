package mail.auth.dmarc;

import java.util.Locale;

/**
 * The DMARC verdict for one message.
 *
 * @param disposition what the domain owner asks for this message, after pct sampling; NONE for a pass
 * @param policy      the record's policy that applied (p or sp), null without a record
 */
public record DmarcResult(Status status, String fromDomain, DmarcRecord.Policy policy, DmarcRecord.Policy disposition,
                          String reason) {

    public enum Status {
        NONE, PASS, FAIL, TEMPERROR, PERMERROR;

        public String token() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One resinfo of an Authentication-Results field (RFC 7489 §11.2). */
    public String authResultsClause() {
        StringBuilder b = new StringBuilder("dmarc=").append(status.token());
        if (policy != null) {
            b.append(" (p=").append(policy.name().toLowerCase(Locale.ROOT))
                    .append(" dis=").append(disposition.name().toLowerCase(Locale.ROOT)).append(')');
        }
        if (fromDomain != null) {
            b.append(" header.from=").append(fromDomain);
        }
        return b.toString();
    }
}
