package mail.message;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** msg-id lists ("<a@b> <c@d>") as threading needs them, tolerant of missing brackets and comments. */
final class MessageIds {
    private MessageIds() {
    }

    static List<String> parse(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        String s = MimeValue.stripComments(value);
        int i = 0;
        while (i < s.length()) {
            int lt = s.indexOf('<', i);
            if (lt < 0) {
                break;
            }
            int gt = s.indexOf('>', lt + 1);
            if (gt < 0) {
                break;
            }
            String id = s.substring(lt + 1, gt).replaceAll("[\\s\"]", "");
            if (!id.isEmpty() && id.length() <= 998) {
                out.add("<" + id + ">");
            }
            i = gt + 1;
        }
        if (out.isEmpty()) {
            // some senders omit the brackets: one bare token that looks like an id
            String bare = s.strip();
            if (!bare.isEmpty() && bare.indexOf(' ') < 0 && bare.indexOf('@') > 0 && bare.length() <= 998) {
                out.add("<" + bare + ">");
            }
        }
        return out;
    }

    /** References ids then In-Reply-To ids not already there, oldest first, keeping the newest {@code max}. */
    static List<String> references(String references, String inReplyTo, int max) {
        Set<String> ids = new LinkedHashSet<>(parse(references));
        ids.addAll(parse(inReplyTo));
        List<String> list = new ArrayList<>(ids);
        return list.size() > max ? List.copyOf(list.subList(list.size() - max, list.size())) : list;
    }
}
