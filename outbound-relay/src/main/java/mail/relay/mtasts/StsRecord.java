package mail.relay.mtasts;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code _mta-sts} TXT record of RFC 8461 §3.1. It only announces that a policy exists and names its current
 * version; the policy itself comes over HTTPS.
 */
public record StsRecord(String id) {
    private static final Pattern DELIMITER = Pattern.compile("[ \\t]*;[ \\t]*");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");
    private static final Pattern EXTENSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}=[\\x21-\\x3a\\x3c\\x3e-\\x7e]+");

    /**
     * The record among all TXT strings of {@code _mta-sts.<domain>}: strings that do not start with {@code v=STSv1}
     * are other records and ignored; several that do mean no valid record (§3.1), as does one that does not parse.
     */
    public static Optional<StsRecord> select(List<String> txt) {
        List<String> candidates = txt.stream().filter(t -> t.startsWith("v=STSv1")).toList();
        return candidates.size() == 1 ? parse(candidates.get(0)) : Optional.empty();
    }

    static Optional<StsRecord> parse(String record) {
        String[] fields = DELIMITER.split(record, -1);
        if (fields.length < 2 || !"v=STSv1".equals(fields[0])) {
            return Optional.empty();
        }
        String id = null;
        for (int i = 1; i < fields.length; i++) {
            String f = fields[i];
            if (f.isEmpty() && i == fields.length - 1) {
                break; // the optional trailing delimiter
            }
            if (f.startsWith("id=")) {
                if (!ID.matcher(f.substring(3)).matches()) {
                    return Optional.empty();
                }
                if (id == null) {
                    id = f.substring(3);
                }
            } else if (!EXTENSION.matcher(f).matches()) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(id).map(StsRecord::new);
    }
}
