package mail.message.dkim;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the signer covers.
 *
 * @param signedHeaders     header fields signed once per occurrence (From is always added if missing)
 * @param oversignedHeaders of those, the ones listed one extra time, so that a copy added later (or one added where
 *                          there was none) breaks the signature
 * @param signListHeaders   also sign every List-* field present (not oversigned: a list manager adds its own)
 * @param validity          x= is t= plus this; null for no x=
 * @param maxHeaderBytes    a longer header section is refused
 */
public record SigningPolicy(List<String> signedHeaders, Set<String> oversignedHeaders, boolean signListHeaders,
                            Duration validity, int maxHeaderBytes) {
    private static final List<String> DEFAULT_HEADERS = List.of("From", "Reply-To", "Subject", "Date", "To", "Cc",
            "Message-ID", "In-Reply-To", "References", "MIME-Version", "Content-Type", "Content-Transfer-Encoding");

    public static final SigningPolicy DEFAULTS = new SigningPolicy(DEFAULT_HEADERS, Set.copyOf(DEFAULT_HEADERS), true,
            null, 1024 * 1024);

    public SigningPolicy {
        signedHeaders = lower(signedHeaders);
        if (!signedHeaders.contains("from")) {
            signedHeaders = Stream.concat(Stream.of("from"), signedHeaders.stream()).toList();
        }
        oversignedHeaders = Set.copyOf(lower(List.copyOf(oversignedHeaders)));
        if (validity != null && (validity.isNegative() || validity.isZero())) {
            throw new IllegalArgumentException("signature validity must be positive");
        }
        if (maxHeaderBytes < 1024) {
            throw new IllegalArgumentException("maxHeaderBytes must be at least 1024");
        }
        for (String h : signedHeaders) {
            if (h.isEmpty() || h.contains(":") || h.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw new IllegalArgumentException("not a header field name: '" + h + "'");
            }
        }
    }

    public SigningPolicy withValidity(Duration v) {
        return new SigningPolicy(signedHeaders, oversignedHeaders, signListHeaders, v, maxHeaderBytes);
    }

    public SigningPolicy withMaxHeaderBytes(int max) {
        return new SigningPolicy(signedHeaders, oversignedHeaders, signListHeaders, validity, max);
    }

    private static List<String> lower(List<String> names) {
        return names.stream().map(n -> n.strip().toLowerCase(Locale.ROOT)).distinct()
                .collect(Collectors.toUnmodifiableList());
    }
}
