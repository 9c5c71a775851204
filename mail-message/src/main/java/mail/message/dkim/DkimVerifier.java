package mail.message.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import mail.message.dkim.DkimResult.Status;

/**
 * Verifies every DKIM-Signature of a message (RFC 6376; rsa-sha256 and RFC 8463 ed25519-sha256; RFC 8301 rules).
 * Key records are looked up first, then the body is read once, however many signatures there are and whatever
 * their canonicalization. Thread-safe when the lookup is.
 */
public final class DkimVerifier {

    /**
     * @param maxHeaderBytes a longer header section is refused with {@link DkimMessageException}
     * @param maxSignatures  signatures evaluated; later ones are reported neutral without a key lookup, so a message
     *                       cannot make us do unbounded DNS queries
     */
    public record Limits(int maxHeaderBytes, int maxSignatures) {
        public static final Limits DEFAULTS = new Limits(1024 * 1024, 8);

        public Limits {
            if (maxHeaderBytes < 1024 || maxSignatures < 1) {
                throw new IllegalArgumentException("DKIM verifier limits out of range");
            }
        }
    }

    static final int MIN_RSA_BITS = 1024;
    // RFC 8301 asks for 1024 to 4096; far larger keys only make a verifier slow
    static final int MAX_RSA_BITS = 8192;

    private final DkimKeyLookup lookup;
    private final Limits limits;
    private final Clock clock;

    public DkimVerifier(DkimKeyLookup lookup) {
        this(lookup, Limits.DEFAULTS, Clock.systemUTC());
    }

    public DkimVerifier(DkimKeyLookup lookup, Limits limits, Clock clock) {
        this.lookup = lookup;
        this.limits = limits;
        this.clock = clock;
    }

    /** Where one signature stands while the message is read. */
    private static final class Check {
        final HeaderField field;
        SignatureTags tags;
        PublicKey key;
        KeyRecord record;
        BodyDigest body;
        DkimResult result;

        Check(HeaderField field) {
            this.field = field;
        }
    }

    /**
     * @throws DkimMessageException if the header section is longer than the limit
     * @throws IOException          if reading the message fails
     */
    public DkimVerification verify(InputStream message) throws IOException {
        MessageReader reader = new MessageReader(message);
        List<HeaderField> headers = reader.readHeaders(limits.maxHeaderBytes());
        List<Check> checks = new ArrayList<>();
        for (HeaderField h : headers) {
            if (h.is("dkim-signature")) {
                checks.add(new Check(h));
            }
        }
        long now = clock.instant().getEpochSecond();
        Map<Canonicalization, List<BodyDigest>> bodies = new EnumMap<>(Canonicalization.class);
        for (int i = 0; i < checks.size(); i++) {
            Check c = checks.get(i);
            if (i >= limits.maxSignatures()) {
                c.result = early(c, Status.NEUTRAL, "not evaluated: more than " + limits.maxSignatures() + " signatures");
                continue;
            }
            prepare(c, now);
            if (c.result == null) {
                c.body = new BodyDigest(c.tags.length());
                bodies.computeIfAbsent(c.tags.bodyCanon(), k -> new ArrayList<>()).add(c.body);
            }
        }
        if (!bodies.isEmpty()) {
            List<BodyCanonicalizer> canons = new ArrayList<>();
            for (Map.Entry<Canonicalization, List<BodyDigest>> e : bodies.entrySet()) {
                canons.add(new BodyCanonicalizer(e.getKey(), e.getValue()));
            }
            reader.streamBody((b, off, len) -> {
                for (BodyCanonicalizer canon : canons) {
                    canon.accept(b, off, len);
                }
            });
            canons.forEach(BodyCanonicalizer::finish);
        }
        List<DkimResult> results = new ArrayList<>();
        for (Check c : checks) {
            results.add(c.result != null ? c.result : finish(c, headers));
        }
        return new DkimVerification(results);
    }

    /** Everything that can be decided before the body: tags, expiry, key record. Sets c.result when decided. */
    private void prepare(Check c, long now) {
        try {
            c.tags = SignatureTags.parse(c.field);
        } catch (TagList.SyntaxException e) {
            c.result = early(c, Status.PERMERROR, e.getMessage());
            return;
        }
        SignatureTags t = c.tags;
        if (t.expiry() >= 0 && t.expiry() < now) {
            c.result = result(c, Status.FAIL, "signature expired at " + Instant.ofEpochSecond(t.expiry()));
            return;
        }
        DkimKeyLookup.Answer answer;
        try {
            answer = lookup.lookup(t.selector(), t.domain());
        } catch (RuntimeException e) {
            c.result = result(c, Status.TEMPERROR, "key lookup failed: " + e.getClass().getSimpleName());
            return;
        }
        String name = t.selector() + "._domainkey." + t.domain();
        if (answer instanceof DkimKeyLookup.TemporaryFailure) {
            c.result = result(c, Status.TEMPERROR, "key lookup of " + name + " failed: "
                    + ((DkimKeyLookup.TemporaryFailure) answer).reason());
            return;
        }
        if (!(answer instanceof DkimKeyLookup.Records) || ((DkimKeyLookup.Records) answer).txt().isEmpty()) {
            c.result = result(c, Status.PERMERROR, "no key record at " + name);
            return;
        }
        String firstProblem = null;
        for (String txt : ((DkimKeyLookup.Records) answer).txt()) {
            try {
                c.record = KeyRecord.parse(txt);
                break;
            } catch (TagList.SyntaxException e) {
                if (firstProblem == null) {
                    firstProblem = e.getMessage();
                }
            }
        }
        if (c.record == null) {
            c.result = result(c, Status.PERMERROR, "malformed key record at " + name + ": " + firstProblem);
            return;
        }
        KeyRecord r = c.record;
        String problem = null;
        if (r.revoked()) {
            problem = "key revoked (empty p=) at " + name;
        } else if (!r.keyType().equals(t.algorithm().keyType())) {
            problem = "key type k=" + r.keyType() + " does not match a=" + t.algorithm().tag();
        } else if (!r.allowsSha256()) {
            problem = "key record h= does not allow sha256";
        } else if (!r.forEmail()) {
            problem = "key record s= is not for email";
        } else if (r.strictIdentity() && !t.identity().substring(t.identity().lastIndexOf('@') + 1)
                .equalsIgnoreCase(t.domain())) {
            problem = "key record t=s requires i= in exactly d=";
        }
        if (problem != null) {
            c.result = result(c, Status.PERMERROR, problem);
            return;
        }
        try {
            c.key = r.publicKey();
        } catch (GeneralSecurityException e) {
            c.result = result(c, Status.PERMERROR, "key record p= is not a usable " + r.keyType() + " key: " + e.getMessage());
            return;
        }
        int bits = KeyRecord.bits(c.key);
        if (c.key instanceof RSAPublicKey && bits < MIN_RSA_BITS) {
            c.result = result(c, Status.FAIL, "key of " + bits + " bits is shorter than " + MIN_RSA_BITS + " (RFC 8301)");
        } else if (bits > MAX_RSA_BITS) {
            c.result = result(c, Status.PERMERROR, "key of " + bits + " bits is longer than " + MAX_RSA_BITS);
        }
    }

    /** After the body: body hash, then the header signature. */
    private DkimResult finish(Check c, List<HeaderField> headers) {
        SignatureTags t = c.tags;
        long total = c.body.total();
        long unsigned = 0;
        if (t.length() >= 0) {
            if (t.length() > total) {
                return result(c, Status.FAIL, "l=" + t.length() + " is longer than the canonical body (" + total + ")", 0);
            }
            unsigned = total - t.length();
        }
        if (!MessageDigest.isEqual(c.body.digest(), t.bodyHash())) {
            return result(c, Status.FAIL, "body hash did not verify", unsigned);
        }
        byte[] data = HeaderHash.input(headers, t.signedHeaders(), TagList.withoutSignature(c.field.raw()),
                t.headerCanon());
        boolean ok;
        try {
            ok = Crypto.verify(t.algorithm(), c.key, data, t.signature());
        } catch (GeneralSecurityException e) {
            return result(c, Status.PERMERROR, "cannot verify with this key: " + e.getMessage(), unsigned);
        }
        if (!ok) {
            return result(c, Status.FAIL, "signature did not verify", unsigned);
        }
        return result(c, Status.PASS, c.record.testing() ? "key is in testing mode (t=y)" : null, unsigned);
    }

    private static DkimResult early(Check c, Status status, String reason) {
        Map<String, String> t = SignatureTags.lenientTags(c.field);
        String b = TagList.compact(t.getOrDefault("b", ""));
        String identity = t.get("i") != null ? t.get("i") : t.get("d") != null ? "@" + t.get("d") : null;
        return new DkimResult(status, reason, lower(t.get("d")), lower(t.get("s")), t.get("a"), identity, 0, false, -1,
                0, b.isEmpty() ? null : b.substring(0, Math.min(8, b.length())));
    }

    private static DkimResult result(Check c, Status status, String reason) {
        return result(c, status, reason, 0);
    }

    private static DkimResult result(Check c, Status status, String reason, long unsigned) {
        SignatureTags t = c.tags;
        return new DkimResult(status, reason, t.domain(), t.selector(), t.algorithm().tag(), t.identity(),
                c.key == null ? 0 : KeyRecord.bits(c.key), c.record != null && c.record.testing(), t.length(),
                unsigned, t.signaturePrefix());
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
