package mail.relay.route;

import java.util.List;

/** The DNS questions routing asks; dnsjava answers them in production, a stub in unit tests. */
public interface DnsLookup {

    MxAnswer mx(String domain) throws DnsFailure;

    /** A and AAAA records of a host, IPv4 first; empty when it has none (or does not exist). */
    List<String> addresses(String host) throws DnsFailure;

    /** The TXT records of a name, each one's strings joined; empty when it has none (or does not exist). */
    List<String> txt(String name) throws DnsFailure;

    sealed interface MxAnswer permits MxAnswer.Records, MxAnswer.NoRecords, MxAnswer.NoDomain {
        /** @param targets with their preferences; a target "." (or "") is a null MX */
        record Records(List<Mx> targets) implements MxAnswer {
        }

        /** The domain exists but has no MX: its own A/AAAA records are the implicit MX (RFC 5321 §5.1). */
        record NoRecords() implements MxAnswer {
        }

        /** NXDOMAIN. */
        record NoDomain() implements MxAnswer {
        }
    }

    record Mx(int preference, String host) {
    }

    /** A lookup that may succeed later (SERVFAIL, timeout). */
    final class DnsFailure extends Exception {
        public DnsFailure(String message) {
            super(message);
        }
    }
}
