package mail.message;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 5322 address-list into IMAP envelope addresses, without decoding anything: IMAP hands clients the raw
 * personal name. Written here rather than taken from mime4j because mime4j's parsers decode RFC 2047 words
 * and drop the group markers IMAP needs. Lenient: a missing '>' or ';', stray commas, a bare word and an
 * old-style {@code addr (Name)} all produce something sensible instead of nothing.
 */
final class AddressParser {
    private static final int MAX_ADDRESSES = 1_000;

    private enum Kind { WORD, QUOTED, COMMENT, LITERAL, SPECIAL }

    private record Token(Kind kind, String text, boolean spaceBefore) {
        boolean is(char c) {
            return kind == Kind.SPECIAL && text.charAt(0) == c;
        }
    }

    private AddressParser() {
    }

    static List<Address> parse(String value) {
        List<Address> out = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        List<Token> tokens = tokenize(value);
        List<Token> element = new ArrayList<>();
        boolean inGroup = false;
        int angle = 0;
        for (Token t : tokens) {
            if (out.size() >= MAX_ADDRESSES) {
                break;
            }
            if (t.is('<')) {
                angle++;
            } else if (t.is('>') && angle > 0) {
                angle--;
            }
            if (angle == 0 && t.is(',')) {
                mailbox(element, out);
                element.clear();
            } else if (angle == 0 && t.is(':') && !inGroup && !hasSpecial(element, '@')) {
                out.add(Address.groupStart(phrase(element)));
                element.clear();
                inGroup = true;
            } else if (angle == 0 && t.is(';') && inGroup) {
                mailbox(element, out);
                element.clear();
                out.add(Address.groupEnd());
                inGroup = false;
            } else {
                element.add(t);
            }
        }
        mailbox(element, out);
        if (inGroup) {
            out.add(Address.groupEnd());
        }
        return out;
    }

    private static boolean hasSpecial(List<Token> tokens, char c) {
        for (Token t : tokens) {
            if (t.is(c) || t.is('<')) {
                return true;
            }
        }
        return false;
    }

    private static void mailbox(List<Token> element, List<Address> out) {
        List<Token> words = new ArrayList<>();
        String comment = null;
        for (Token t : element) {
            if (t.kind() == Kind.COMMENT) {
                if (comment == null && !t.text().isBlank()) {
                    comment = t.text().strip();
                }
            } else {
                words.add(t);
            }
        }
        if (words.isEmpty()) {
            return;
        }
        int lt = -1;
        for (int i = 0; i < words.size(); i++) {
            if (words.get(i).is('<')) {
                lt = i;
                break;
            }
        }
        if (lt >= 0) {
            int gt = words.size();
            for (int i = lt + 1; i < words.size(); i++) {
                if (words.get(i).is('>')) {
                    gt = i;
                    break;
                }
            }
            String personal = phrase(words.subList(0, lt));
            List<Token> inside = new ArrayList<>(words.subList(lt + 1, gt));
            String adl = null;
            int colon = -1;
            if (!inside.isEmpty() && inside.get(0).is('@')) {
                for (int i = 0; i < inside.size(); i++) {
                    if (inside.get(i).is(':')) {
                        colon = i;
                        break;
                    }
                }
            }
            if (colon >= 0) {
                adl = join(inside.subList(0, colon), false);
                inside = new ArrayList<>(inside.subList(colon + 1, inside.size()));
            }
            if (inside.isEmpty() && personal == null) {
                return;
            }
            addrSpec(personal, adl, inside, out);
        } else {
            addrSpec(comment, null, words, out);
        }
    }

    private static void addrSpec(String personal, String adl, List<Token> spec, List<Address> out) {
        int at = -1;
        for (int i = spec.size() - 1; i >= 0; i--) {
            if (spec.get(i).is('@')) {
                at = i;
                break;
            }
        }
        String local;
        String host;
        if (at < 0) {
            local = join(spec, true);
            host = "";
        } else {
            local = join(spec.subList(0, at), true);
            host = join(spec.subList(at + 1, spec.size()), false);
        }
        out.add(new Address(emptyToNull(personal), emptyToNull(adl), local, host));
    }

    /** Display-name words joined as written: quoted strings unquoted, one space where there was whitespace. */
    private static String phrase(List<Token> tokens) {
        StringBuilder sb = new StringBuilder();
        for (Token t : tokens) {
            if (t.kind() == Kind.COMMENT) {
                continue;
            }
            if (sb.length() > 0 && t.spaceBefore()) {
                sb.append(' ');
            }
            sb.append(t.text());
        }
        return emptyToNull(sb.toString().strip());
    }

    /** An addr-spec piece without whitespace; a quoted local part keeps its quotes (it may contain '@' or '.'). */
    private static String join(List<Token> tokens, boolean quoteStrings) {
        StringBuilder sb = new StringBuilder();
        for (Token t : tokens) {
            if (t.kind() == Kind.QUOTED && quoteStrings) {
                sb.append('"').append(t.text().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            } else if (t.kind() != Kind.COMMENT) {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        boolean space = false;
        while (i < n) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                space = true;
                i++;
            } else if (c == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < n && s.charAt(i) != '"') {
                    char q = s.charAt(i);
                    if (q == '\\' && i + 1 < n) {
                        q = s.charAt(++i);
                    }
                    if (q != '\r' && q != '\n') {
                        sb.append(q);
                    }
                    i++;
                }
                i++;
                out.add(new Token(Kind.QUOTED, sb.toString(), space));
                space = false;
            } else if (c == '(') {
                StringBuilder sb = new StringBuilder();
                int depth = 1;
                i++;
                while (i < n && depth > 0) {
                    char q = s.charAt(i);
                    if (q == '\\' && i + 1 < n) {
                        sb.append(s.charAt(++i));
                    } else if (q == '(') {
                        depth++;
                        sb.append(q);
                    } else if (q == ')') {
                        depth--;
                        if (depth > 0) {
                            sb.append(q);
                        }
                    } else {
                        sb.append(q);
                    }
                    i++;
                }
                out.add(new Token(Kind.COMMENT, sb.toString(), space));
                space = true;
            } else if (c == '[') {
                int end = s.indexOf(']', i);
                end = end < 0 ? n : end + 1;
                out.add(new Token(Kind.LITERAL, s.substring(i, end), space));
                space = false;
                i = end;
            } else if (c == '<' || c == '>' || c == '@' || c == ',' || c == ';' || c == ':') {
                out.add(new Token(Kind.SPECIAL, String.valueOf(c), space));
                space = false;
                i++;
            } else {
                int start = i;
                while (i < n && "()<>@,;:\"[] \t\r\n".indexOf(s.charAt(i)) < 0) {
                    i++;
                }
                if (i == start) {
                    i++; // a stray ')' or ']' is a word of its own, or the loop would never advance
                }
                out.add(new Token(Kind.WORD, s.substring(start, i), space));
                space = false;
            }
        }
        return out;
    }
}
