package mail.message;

import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * BODY[HEADER.FIELDS (...)] and BODY[HEADER.FIELDS.NOT (...)] (RFC 9051 §6.4.5) over a header section, such as
 * {@link ParsedMessage#rawHeader()} or a header range read from the store as ISO-8859-1 (one char per octet).
 * Field names match ASCII case-insensitively; folded fields stay whole; the blank line that ends the section is
 * kept, as the RFC requires, when the section has one.
 */
public final class HeaderSection {
    private HeaderSection() {
    }

    public static String select(String header, Collection<String> names, boolean exclude) {
        Set<String> wanted = new HashSet<>();
        for (String name : names) {
            wanted.add(name.toLowerCase(Locale.ROOT));
        }
        StringBuilder out = new StringBuilder();
        boolean keep = false;
        int i = 0;
        while (i < header.length()) {
            int lf = header.indexOf('\n', i);
            int end = lf < 0 ? header.length() : lf + 1;
            String line = header.substring(i, end);
            i = end;
            if (line.equals("\r\n") || line.equals("\n")) {
                out.append(line);
                break;
            }
            char first = line.charAt(0);
            if (first != ' ' && first != '\t') {
                int colon = line.indexOf(':');
                String name = colon < 0 ? "" : line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                keep = wanted.contains(name) != exclude;
            }
            if (keep) {
                out.append(line);
            }
        }
        return out.toString();
    }
}
