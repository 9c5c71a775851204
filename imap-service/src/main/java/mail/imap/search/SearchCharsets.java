package mail.imap.search;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * CHARSET of SEARCH: strings arrive as UTF-8 (IMAP4rev2 requires it, US-ASCII is a subset), and the stored search
 * text is Unicode, so these two are all that is needed; anything else is refused with BADCHARSET rather than
 * searched with the wrong bytes.
 */
public final class SearchCharsets {
    public static final List<String> SUPPORTED = List.of("US-ASCII", "UTF-8");

    private SearchCharsets() {
    }

    /** @throws SearchException of kind BAD_CHARSET for any other charset */
    public static void check(Optional<String> charset) {
        if (charset.isEmpty()) {
            return;
        }
        String c = charset.get().toUpperCase(Locale.ROOT);
        if (!SUPPORTED.contains(c) && !c.equals("UTF8") && !c.equals("ASCII")) {
            throw new SearchException(SearchException.Kind.BAD_CHARSET,
                    "charset " + charset.get() + " is not supported");
        }
    }
}
