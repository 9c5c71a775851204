package mail.message.dkim;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** §3.7: what the header signature covers, for signer and verifier alike. */
final class HeaderHash {
    private HeaderHash() {
    }

    /**
     * @param headers      the message's header fields, top to bottom
     * @param signedNames  h=, in order; a name listed more often than present selects nothing the extra times
     * @param signatureRaw the DKIM-Signature field itself with an empty b= value
     */
    static byte[] input(List<HeaderField> headers, List<String> signedNames, String signatureRaw,
                        Canonicalization mode) {
        StringBuilder data = new StringBuilder(1024);
        // instances are taken from the bottom up (§5.4.2)
        Map<String, Integer> used = new HashMap<>();
        for (String name : signedNames) {
            String key = name.toLowerCase(Locale.ROOT);
            int skip = used.getOrDefault(key, 0);
            used.put(key, skip + 1);
            for (int i = headers.size() - 1; i >= 0; i--) {
                HeaderField f = headers.get(i);
                if (f.is(key)) {
                    if (skip == 0) {
                        data.append(mode.header(f.raw()));
                        break;
                    }
                    skip--;
                }
            }
        }
        String sig = mode.header(signatureRaw);
        if (sig.endsWith("\r\n")) {
            sig = sig.substring(0, sig.length() - 2);
        }
        data.append(sig);
        return data.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
