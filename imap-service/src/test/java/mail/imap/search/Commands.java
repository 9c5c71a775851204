package mail.imap.search;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import mail.imap.protocol.CommandDecoder;
import mail.imap.protocol.ImapCommand;
import mail.imap.protocol.ImapFramer;
import mail.imap.protocol.Segment;

/** Decodes a command line with the production framer and decoder, so tests write criteria as clients do. */
final class Commands {
    private Commands() {
    }

    static ImapCommand decode(String line) {
        List<List<Segment>> commands = new ArrayList<>();
        ImapFramer framer = new ImapFramer(new ImapFramer.Handler() {
            @Override
            public ImapFramer.LiteralDecision literal(List<Segment> soFar, long size, boolean sync, boolean binary) {
                return ImapFramer.LiteralDecision.HOLD;
            }

            @Override
            public void continuation() {
            }

            @Override
            public void command(List<Segment> segments) {
                commands.add(segments);
            }

            @Override
            public void lineTooLong(byte[] head) {
                throw new IllegalStateException("line too long");
            }

            @Override
            public void literalFailed(List<Segment> soFar, IOException e) {
                throw new IllegalStateException(e);
            }
        }, 64 * 1024);
        framer.feed((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        CommandDecoder.Decoded d = new CommandDecoder(new CommandDecoder.Limits(1000, 64, 1000, 10))
                .decode(commands.get(0), true);
        if (!d.ok()) {
            throw new IllegalArgumentException(line + ": " + d.error());
        }
        return d.command();
    }

    static ImapCommand.Search search(String criteria) {
        return (ImapCommand.Search) decode("t SEARCH " + criteria);
    }
}
