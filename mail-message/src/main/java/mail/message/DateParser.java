package mail.message;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;

/**
 * Lenient RFC 5322 date: also the obsolete forms (two-digit years, zone names, missing seconds or zone) and the
 * orders seen in the wild (asctime "Sat Feb 23 07:48:03 2008", "23 Feb 2008"). Anything it cannot make sense of
 * gives null rather than a guess, so the caller falls back to the arrival time.
 */
final class DateParser {
    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
        "nov", "dec"};
    private static final Map<String, Integer> ZONES = Map.ofEntries(
            Map.entry("ut", 0), Map.entry("utc", 0), Map.entry("gmt", 0), Map.entry("z", 0),
            Map.entry("est", -5 * 60), Map.entry("edt", -4 * 60), Map.entry("cst", -6 * 60),
            Map.entry("cdt", -5 * 60), Map.entry("mst", -7 * 60), Map.entry("mdt", -6 * 60),
            Map.entry("pst", -8 * 60), Map.entry("pdt", -7 * 60), Map.entry("cet", 60), Map.entry("cest", 120),
            Map.entry("bst", 60));

    private DateParser() {
    }

    static Instant parse(String value) {
        if (value == null || value.length() > 200) {
            return null;
        }
        String s = MimeValue.stripComments(value).replace(',', ' ').trim();
        if (s.isEmpty()) {
            return null;
        }
        int day = -1;
        int month = -1;
        int year = -1;
        int hour = -1;
        int minute = 0;
        int second = 0;
        Integer zone = null;
        for (String raw : s.split("\\s+")) {
            String t = raw.toLowerCase(Locale.ROOT);
            if (t.indexOf(':') > 0 && hour < 0) {
                String[] hms = t.split(":");
                if (hms.length < 2 || hms.length > 3) {
                    return null;
                }
                hour = number(hms[0]);
                minute = number(hms[1]);
                second = hms.length == 3 ? number(hms[2].replaceAll("\\..*$", "")) : 0;
                if (hour < 0 || minute < 0 || second < 0) {
                    return null;
                }
            } else if ((t.startsWith("+") || t.startsWith("-")) && t.length() == 5 && number(t.substring(1)) >= 0) {
                int hhmm = number(t.substring(1));
                int minutes = hhmm / 100 * 60 + hhmm % 100;
                zone = t.charAt(0) == '-' ? -minutes : minutes;
            } else if (Character.isDigit(t.charAt(0))) {
                int v = number(t);
                if (v < 0) {
                    return null;
                }
                if (t.length() >= 3 || day >= 0) {
                    if (year >= 0) {
                        return null;
                    }
                    year = t.length() == 2 ? (v < 50 ? 2000 + v : 1900 + v) : (t.length() == 3 ? 1900 + v : v);
                } else {
                    day = v;
                }
            } else if (t.length() >= 3 && month < 0 && monthOf(t) > 0) {
                month = monthOf(t);
            } else if (ZONES.containsKey(t)) {
                zone = zone == null ? ZONES.get(t) : zone;
            }
            // anything else (day names, "at", unknown zone names) is ignored
        }
        if (day < 0 || month < 0 || year < 0) {
            return null;
        }
        try {
            LocalDateTime local = LocalDateTime.of(year, month, day, Math.max(hour, 0), minute,
                    second == 60 ? 59 : second);
            int offset = zone == null ? 0 : zone;
            return local.toInstant(ZoneOffset.ofTotalSeconds(offset * 60));
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static int monthOf(String t) {
        for (int i = 0; i < MONTHS.length; i++) {
            if (t.startsWith(MONTHS[i])) {
                return i + 1;
            }
        }
        return -1;
    }

    private static int number(String t) {
        if (t.isEmpty() || t.length() > 4) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
