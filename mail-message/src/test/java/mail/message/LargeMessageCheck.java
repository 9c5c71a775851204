package mail.message;

import java.io.IOException;

/**
 * Run in a JVM with a heap far smaller than the message (see LargeMessageTest): parses the 50 MB message and
 * exits 0 only if every offset and line count is the one the generator knows.
 */
public final class LargeMessageCheck {
    private LargeMessageCheck() {
    }

    public static void main(String[] args) throws IOException {
        LargeMessage raw = new LargeMessage();
        ParsedMessage m = new MessageParser().parse(raw);
        StringBuilder problems = new StringBuilder();
        expect(problems, "size", m.size(), raw.size());
        expect(problems, "parts", m.body().parts().size(), 3);
        for (int i = 0; i < 3 && i < m.body().parts().size(); i++) {
            BodyPart p = m.body().parts().get(i);
            expect(problems, "bodyStart " + i, p.bodyStart(), raw.bodyStart[i]);
            expect(problems, "bodyEnd " + i, p.bodyEnd(), raw.bodyEnd[i]);
            expect(problems, "lines " + i, p.lines(), raw.lines[i]);
        }
        expect(problems, "search capped", m.search().truncated() ? 1 : 0, 1);
        expect(problems, "attachment", m.hasAttachments() ? 1 : 0, 1);
        expect(problems, "defects", m.defects().size(), 0);
        System.out.println("max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB, message "
                + raw.size() / (1024 * 1024) + " MiB, preview: " + m.preview().substring(0, 26));
        if (problems.length() > 0) {
            System.out.println("MISMATCH" + problems);
            System.exit(1);
        }
        System.out.println("OK");
    }

    private static void expect(StringBuilder problems, String what, long actual, long expected) {
        if (actual != expected) {
            problems.append(' ').append(what).append(": ").append(actual).append(" != ").append(expected);
        }
    }
}
