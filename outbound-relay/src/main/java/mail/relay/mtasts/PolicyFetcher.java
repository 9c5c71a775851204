package mail.relay.mtasts;

import java.io.IOException;

/** Gets a domain's policy body from {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}. */
public interface PolicyFetcher {

    /** @throws IOException for anything but a 200 answer with a plain-text body within the size limit */
    String fetch(String domain) throws IOException;
}
