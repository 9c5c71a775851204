package mail.message.dkim;

import java.util.List;

/**
 * Finds the key record of {@code selector._domainkey.domain}. The gateway answers it from DNS (dnsjava, with its
 * timeouts); tests answer from a map. Called from the verifying thread, so it may block, but should be bounded.
 */
@FunctionalInterface
public interface DkimKeyLookup {

    Answer lookup(String selector, String domain);

    /** What the lookup found. */
    sealed interface Answer permits Records, NotFound, TemporaryFailure {
    }

    /** The TXT records at the name, one string per record with its character-strings already joined. */
    record Records(List<String> txt) implements Answer {
        public Records {
            txt = List.copyOf(txt);
        }
    }

    /** NXDOMAIN or no TXT record: a permanent error for the signature. */
    record NotFound() implements Answer {
    }

    /** Timeout, SERVFAIL and the like: the sender may try again later. */
    record TemporaryFailure(String reason) implements Answer {
    }
}
