package mail.message.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signs a message (RFC 6376 with relaxed/relaxed canonicalization; rsa-sha256 and RFC 8463 ed25519-sha256).
 * The message is read once: headers into memory up to the policy's limit, the body hashed as it streams by, so its
 * size does not matter. Thread-safe; keep one.
 */
public final class DkimSigner {
    private static final int LINE = 78;
    private static final String NAME = "DKIM-Signature:";

    private final SigningPolicy policy;
    private final Clock clock;

    public DkimSigner() {
        this(SigningPolicy.DEFAULTS, Clock.systemUTC());
    }

    public DkimSigner(SigningPolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * @return the {@code DKIM-Signature} field to put in front of the message, folded, ending in CRLF
     * @throws DkimMessageException if the message has no single From field or its header section is too long
     */
    public String sign(InputStream message, DkimSigningKey key) throws IOException {
        return sign(message, List.of(key));
    }

    /**
     * One signature per key over the same read of the message (both algorithms hash the same relaxed body with
     * SHA-256, so the body is hashed once).
     *
     * @return the fields, one after another in the order of the keys, each ending in CRLF
     */
    public String sign(InputStream message, List<DkimSigningKey> keys) throws IOException {
        if (keys == null || keys.isEmpty()) {
            throw new IllegalArgumentException("at least one signing key is required");
        }
        MessageReader reader = new MessageReader(message);
        List<HeaderField> headers = reader.readHeaders(policy.maxHeaderBytes());
        long froms = headers.stream().filter(h -> h.is("from")).count();
        if (froms == 0) {
            throw new DkimMessageException("the message has no From header field, which DKIM must sign (RFC 6376 §5.4)");
        }
        if (froms > 1) {
            throw new DkimMessageException("the message has " + froms + " From header fields; RFC 5322 allows one");
        }
        List<String> signed = signedNames(headers);
        BodyDigest body = new BodyDigest(-1);
        BodyCanonicalizer canon = new BodyCanonicalizer(Canonicalization.RELAXED, List.of(body));
        reader.streamBody(canon);
        canon.finish();
        String bh = Base64.getEncoder().encodeToString(body.digest());
        long t = clock.instant().getEpochSecond();

        StringBuilder out = new StringBuilder();
        for (DkimSigningKey key : keys) {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put("v", "1");
            tags.put("a", key.algorithm().tag());
            tags.put("c", "relaxed/relaxed");
            tags.put("d", key.domain());
            tags.put("s", key.selector());
            tags.put("t", Long.toString(t));
            if (policy.validity() != null) {
                tags.put("x", Long.toString(t + policy.validity().toSeconds()));
            }
            tags.put("h", String.join(":", signed));
            tags.put("bh", bh);
            String unsigned = layout(tags);
            byte[] data = HeaderHash.input(headers, signed, unsigned, Canonicalization.RELAXED);
            byte[] sig = Crypto.sign(key.algorithm(), key.privateKey(), data);
            out.append(appendSignature(unsigned, Base64.getEncoder().encodeToString(sig)));
        }
        return out.toString();
    }

    private List<String> signedNames(List<HeaderField> headers) {
        List<String> names = new ArrayList<>();
        for (String name : policy.signedHeaders()) {
            long n = headers.stream().filter(h -> h.is(name)).count();
            if (policy.oversignedHeaders().contains(name)) {
                n++;
            }
            for (long i = 0; i < n; i++) {
                names.add(name);
            }
        }
        if (policy.signListHeaders()) {
            for (HeaderField h : headers) {
                String lower = h.lowerName();
                // only plain names: h= is itself a tag value, where ';' or '=' would end it
                if (lower.startsWith("list-") && lower.matches("[a-z0-9-]+")) {
                    names.add(lower);
                }
            }
        }
        return names;
    }

    /** The field up to and including "b=", folded; b= comes last so that this prefix is final. */
    static String layout(Map<String, String> tags) {
        StringBuilder out = new StringBuilder(NAME);
        int lineStart = 0;
        boolean firstOnLine = true;
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            List<String> pieces = new ArrayList<>();
            if ("h".equals(tag.getKey())) {
                // h= may fold after each colon
                String[] names = tag.getValue().split(":");
                for (int i = 0; i < names.length; i++) {
                    pieces.add((i == 0 ? "h=" : "") + names[i] + (i < names.length - 1 ? ":" : ";"));
                }
            } else {
                pieces.add(tag.getKey() + "=" + tag.getValue() + ";");
            }
            for (int i = 0; i < pieces.size(); i++) {
                String piece = pieces.get(i);
                String sep = i == 0 ? " " : "";
                if (!firstOnLine && out.length() - lineStart + sep.length() + piece.length() > LINE) {
                    out.append("\r\n");
                    lineStart = out.length();
                    sep = " ";
                }
                out.append(sep).append(piece);
                firstOnLine = false;
            }
        }
        if (out.length() - lineStart + 4 > LINE) {
            out.append("\r\n");
            lineStart = out.length();
        }
        out.append(" b=");
        return out.append("\r\n").toString();
    }

    /** The unsigned field (ending in "b=" CRLF) with the base64 value folded in. */
    static String appendSignature(String unsigned, String b64) {
        StringBuilder out = new StringBuilder(unsigned.substring(0, unsigned.length() - 2));
        int lineStart = out.lastIndexOf("\r\n") + 2;
        if (lineStart < 2) {
            lineStart = 0;
        }
        int pos = 0;
        while (pos < b64.length()) {
            int room = LINE - (out.length() - lineStart);
            if (room < 8) {
                out.append("\r\n ");
                lineStart = out.length() - 1;
                room = LINE - 1;
            }
            int n = Math.min(room, b64.length() - pos);
            out.append(b64, pos, pos + n);
            pos += n;
        }
        return out.append("\r\n").toString();
    }
}
