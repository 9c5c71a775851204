package mail.delivery.local;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import mail.message.MessageMetadataBson;
import mail.message.MessageParser;
import mail.message.ParsedMessage;

/** mail-message's parser: best effort, so a malformed message still yields metadata and is delivered. */
@ApplicationScoped
public class MimeMessageAnalyzer implements MessageAnalyzer {
    private final MessageParser parser = new MessageParser();

    @Override
    public Analysis analyze(InputStream raw) throws IOException {
        ParsedMessage parsed = parser.parse(raw);
        return new Analysis(MessageMetadataBson.toDocument(parsed), parsed.date());
    }
}
