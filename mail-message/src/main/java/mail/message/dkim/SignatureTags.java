package mail.message.dkim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** A DKIM-Signature field checked against RFC 6376 §3.5 (tags) and §6.1.1 (what makes it unusable). */
record SignatureTags(HeaderField field, DkimAlgorithm algorithm, Canonicalization headerCanon,
                     Canonicalization bodyCanon, String domain, String selector, String identity,
                     List<String> signedHeaders, byte[] bodyHash, byte[] signature, long length, long timestamp,
                     long expiry) {
    // real signers list a few dozen; the cap bounds the work a hostile h= can cause against a large header section
    static final int MAX_SIGNED_HEADERS = 512;
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,76}");
    private static final Pattern NAME = Pattern.compile(
            "(?i)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");

    /** The tags of a field that may not parse, for reporting which signature an error belongs to. */
    static Map<String, String> lenientTags(HeaderField field) {
        try {
            return TagList.parse(field.value());
        } catch (TagList.SyntaxException e) {
            return Map.of();
        }
    }

    static SignatureTags parse(HeaderField field) throws TagList.SyntaxException {
        Map<String, String> t = TagList.parse(field.value());
        for (String required : List.of("v", "a", "b", "bh", "d", "h", "s")) {
            if (!t.containsKey(required)) {
                throw new TagList.SyntaxException("missing required tag " + required + "=");
            }
        }
        if (!"1".equals(t.get("v"))) {
            throw new TagList.SyntaxException("incompatible version v=" + t.get("v"));
        }
        DkimAlgorithm algorithm = algorithm(t.get("a"));
        Canonicalization[] c = canonicalization(t.getOrDefault("c", "simple/simple"));
        String domain = t.get("d").toLowerCase(Locale.ROOT);
        if (!NAME.matcher(domain).matches() || domain.length() > 253) {
            throw new TagList.SyntaxException("d= is not a domain name");
        }
        String selector = t.get("s").toLowerCase(Locale.ROOT);
        if (!NAME.matcher(selector).matches()) {
            throw new TagList.SyntaxException("s= is not a selector");
        }
        List<String> h = new ArrayList<>();
        String[] names = t.get("h").split(":", -1);
        if (names.length > MAX_SIGNED_HEADERS) {
            throw new TagList.SyntaxException("h= lists more than " + MAX_SIGNED_HEADERS + " header fields");
        }
        for (String name : names) {
            String n = TagList.trim(name);
            if (n.isEmpty() || n.chars().anyMatch(ch -> ch <= ' ' || ch > '~')) {
                throw new TagList.SyntaxException("h= has an empty or invalid header name");
            }
            h.add(n.toLowerCase(Locale.ROOT));
        }
        if (!h.contains("from")) {
            throw new TagList.SyntaxException("From is not signed (h= lacks from)");
        }
        String identity = t.getOrDefault("i", "@" + domain);
        int at = identity.lastIndexOf('@');
        if (at < 0) {
            throw new TagList.SyntaxException("i= has no @");
        }
        String iDomain = identity.substring(at + 1).toLowerCase(Locale.ROOT);
        if (!iDomain.equals(domain) && !iDomain.endsWith("." + domain)) {
            throw new TagList.SyntaxException("i= domain " + iDomain + " is not d= or a subdomain of it");
        }
        String q = t.get("q");
        if (q != null && Arrays.stream(q.split(":")).map(TagList::trim).noneMatch("dns/txt"::equals)) {
            throw new TagList.SyntaxException("q= offers no dns/txt");
        }
        long length = number(t, "l");
        long timestamp = number(t, "t");
        long expiry = number(t, "x");
        if (timestamp >= 0 && expiry >= 0 && expiry < timestamp) {
            throw new TagList.SyntaxException("x= is before t=");
        }
        byte[] bodyHash = base64(t.get("bh"), "bh");
        byte[] signature = base64(t.get("b"), "b");
        if (signature.length == 0) {
            throw new TagList.SyntaxException("b= is empty");
        }
        return new SignatureTags(field, algorithm, c[0], c[1], domain, selector, identity, List.copyOf(h), bodyHash,
                signature, length, timestamp, expiry);
    }

    private static DkimAlgorithm algorithm(String a) throws TagList.SyntaxException {
        String n = a.toLowerCase(Locale.ROOT);
        if ("rsa-sha1".equals(n)) {
            throw new TagList.SyntaxException("rsa-sha1 is not accepted (RFC 8301)");
        }
        if ("rsa-sha256".equals(n)) {
            return DkimAlgorithm.RSA_SHA256;
        }
        if ("ed25519-sha256".equals(n)) {
            return DkimAlgorithm.ED25519_SHA256;
        }
        throw new TagList.SyntaxException("unsupported algorithm a=" + a);
    }

    private static Canonicalization[] canonicalization(String c) throws TagList.SyntaxException {
        String[] parts = c.split("/", -1);
        if (parts.length > 2) {
            throw new TagList.SyntaxException("malformed c=" + c);
        }
        try {
            Canonicalization header = Canonicalization.parse(parts[0]);
            Canonicalization body = parts.length == 2 ? Canonicalization.parse(parts[1]) : Canonicalization.SIMPLE;
            return new Canonicalization[] {header, body};
        } catch (IllegalArgumentException e) {
            throw new TagList.SyntaxException("unsupported canonicalization c=" + c);
        }
    }

    private static long number(Map<String, String> t, String tag) throws TagList.SyntaxException {
        String v = t.get(tag);
        if (v == null) {
            return -1;
        }
        if (!DIGITS.matcher(v).matches()) {
            throw new TagList.SyntaxException(tag + "= is not a number");
        }
        // 76 digits are legal; anything past a long means "forever" for l=, t= and x= alike
        return v.length() > 18 ? Long.MAX_VALUE : Long.parseLong(v);
    }

    private static byte[] base64(String value, String tag) throws TagList.SyntaxException {
        try {
            return Base64.getDecoder().decode(TagList.compact(value));
        } catch (IllegalArgumentException e) {
            throw new TagList.SyntaxException(tag + "= is not base64");
        }
    }

    String signaturePrefix() {
        String b = TagList.compact(lenientTags(field).getOrDefault("b", ""));
        return b.length() > 8 ? b.substring(0, 8) : b;
    }
}
