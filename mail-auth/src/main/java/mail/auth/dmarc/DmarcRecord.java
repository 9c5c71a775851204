package mail.auth.dmarc;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed {@code _dmarc} TXT record (RFC 7489 §6.3). Only what evaluation needs is kept; report addresses (rua,
 * ruf) are not used because this platform sends no aggregate reports.
 */
public record DmarcRecord(Policy policy, Policy subdomainPolicy, boolean strictDkim, boolean strictSpf, int percent) {

    public enum Policy { NONE, QUARANTINE, REJECT }

    /** @throws IllegalArgumentException when the text is not a valid DMARC record */
    public static DmarcRecord parse(String txt) {
        Map<String, String> tags = new HashMap<>();
        String[] parts = txt.split(";");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("malformed tag '" + part + "'");
            }
            String name = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = part.substring(eq + 1).trim();
            if (i == 0 && !(name.equals("v") && value.equals("DMARC1"))) {
                throw new IllegalArgumentException("the record does not start with v=DMARC1");
            }
            tags.putIfAbsent(name, value);
        }
        if (!tags.containsKey("v")) {
            throw new IllegalArgumentException("the record does not start with v=DMARC1");
        }
        Policy p;
        if (tags.containsKey("p")) {
            p = policy(tags.get("p"));
        } else if (tags.containsKey("rua")) {
            // RFC 7489 §6.6.3: a record without p but with rua is read as p=none
            p = Policy.NONE;
        } else {
            throw new IllegalArgumentException("no p= tag");
        }
        Policy sp = tags.containsKey("sp") ? policy(tags.get("sp")) : p;
        int pct = 100;
        if (tags.containsKey("pct")) {
            try {
                pct = Integer.parseInt(tags.get("pct"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("pct= is not a number");
            }
            if (pct < 0 || pct > 100) {
                throw new IllegalArgumentException("pct= is outside 0..100");
            }
        }
        return new DmarcRecord(p, sp, alignment(tags.get("adkim")), alignment(tags.get("aspf")), pct);
    }

    private static Policy policy(String v) {
        switch (v.toLowerCase(Locale.ROOT)) {
            case "none":
                return Policy.NONE;
            case "quarantine":
                return Policy.QUARANTINE;
            case "reject":
                return Policy.REJECT;
            default:
                throw new IllegalArgumentException("unknown policy '" + v + "'");
        }
    }

    private static boolean alignment(String v) {
        if (v == null || v.equalsIgnoreCase("r")) {
            return false;
        }
        if (v.equalsIgnoreCase("s")) {
            return true;
        }
        throw new IllegalArgumentException("alignment mode must be r or s, not '" + v + "'");
    }
}
