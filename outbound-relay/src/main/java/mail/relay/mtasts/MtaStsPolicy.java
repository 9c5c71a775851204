package mail.relay.mtasts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A domain's MTA-STS policy (RFC 8461 §3.2): which MX hosts may receive its mail, and whether a sender must refuse
 * the others and any host without verified TLS ({@code enforce}) or only notice them ({@code testing}).
 */
public record MtaStsPolicy(Mode mode, List<String> mx, Duration maxAge) {
    /** The largest max_age the RFC allows: about one year. */
    static final long MAX_AGE_LIMIT = 31_557_600L;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public enum Mode { ENFORCE, TESTING, NONE }

    public MtaStsPolicy {
        mx = List.copyOf(mx);
    }

    /** Thrown for a policy body that does not follow §3.2; such a body counts as no policy. */
    public static final class InvalidPolicy extends Exception {
        InvalidPolicy(String message) {
            super(message);
        }
    }

    /**
     * Parses a policy body: {@code key: value} lines ended by CRLF or LF. Unknown keys are ignored (§3.2); of
     * repeated {@code version}, {@code mode} or {@code max_age} fields the first counts, {@code mx} may repeat.
     */
    public static MtaStsPolicy parse(String body) throws InvalidPolicy {
        String version = null;
        String mode = null;
        String maxAge = null;
        List<String> mx = new ArrayList<>();
        for (String raw : body.split("\r?\n", -1)) {
            if (raw.isEmpty()) {
                continue;
            }
            int colon = raw.indexOf(':');
            if (colon <= 0 || !KEY.matcher(raw.substring(0, colon)).matches()) {
                throw new InvalidPolicy("not a key: value line: " + abbreviate(raw));
            }
            String key = raw.substring(0, colon);
            String value = raw.substring(colon + 1).strip();
            switch (key) {
                case "version" -> version = version == null ? value : version;
                case "mode" -> mode = mode == null ? value : mode;
                case "max_age" -> maxAge = maxAge == null ? value : maxAge;
                case "mx" -> mx.add(pattern(value));
                default -> { } // extensions: ignored
            }
        }
        if (!"STSv1".equals(version)) {
            throw new InvalidPolicy(version == null ? "no version field" : "unknown version " + abbreviate(version));
        }
        Mode m;
        if ("enforce".equals(mode)) {
            m = Mode.ENFORCE;
        } else if ("testing".equals(mode)) {
            m = Mode.TESTING;
        } else if ("none".equals(mode)) {
            m = Mode.NONE;
        } else {
            throw new InvalidPolicy(mode == null ? "no mode field" : "unknown mode " + abbreviate(mode));
        }
        if (maxAge == null || !maxAge.matches("[0-9]{1,10}") || Long.parseLong(maxAge) > MAX_AGE_LIMIT) {
            throw new InvalidPolicy("max_age must be 0 to " + MAX_AGE_LIMIT + " seconds, was " + (maxAge == null ? "missing" : abbreviate(maxAge)));
        }
        if (mx.isEmpty() && m != Mode.NONE) {
            throw new InvalidPolicy("a policy in " + mode + " mode needs at least one mx field");
        }
        return new MtaStsPolicy(m, mx, Duration.ofSeconds(Long.parseLong(maxAge)));
    }

    /**
     * Whether an MX host name is one the policy names (§4.1): exactly, or by a leading {@code *.} that stands for
     * exactly one label, so {@code *.example.com} covers {@code mx1.example.com} but neither {@code example.com} nor
     * {@code a.b.example.com}.
     */
    public boolean permits(String mxHost) {
        String host = normalize(mxHost);
        for (String p : mx) {
            if (p.startsWith("*.")) {
                int dot = host.indexOf('.');
                if (dot > 0 && host.substring(dot + 1).equals(p.substring(2))) {
                    return true;
                }
            } else if (p.equals(host)) {
                return true;
            }
        }
        return false;
    }

    private static String pattern(String value) throws InvalidPolicy {
        String p = normalize(value);
        String name = p.startsWith("*.") ? p.substring(2) : p;
        String[] labels = name.split("\\.", -1);
        if (labels.length < 2 || name.length() > 253) {
            throw new InvalidPolicy("mx pattern is not a host name: " + abbreviate(value));
        }
        for (String l : labels) {
            if (!LABEL.matcher(l).matches()) {
                throw new InvalidPolicy("mx pattern is not a host name: " + abbreviate(value));
            }
        }
        return p;
    }

    private static String normalize(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
