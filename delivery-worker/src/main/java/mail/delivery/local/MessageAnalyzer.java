package mail.delivery.local;

import java.io.InputStream;
import java.time.Instant;
import org.bson.Document;

/** Parses a raw message once into the metadata document the store keeps beside it. */
public interface MessageAnalyzer {

    /** @param date the message's Date header, null if it has none that parses */
    record Analysis(Document metadata, Instant date) {
    }

    /** Never fails on malformed MIME (the message is still delivered byte-exact); only on I/O errors. */
    Analysis analyze(InputStream raw) throws java.io.IOException;
}
