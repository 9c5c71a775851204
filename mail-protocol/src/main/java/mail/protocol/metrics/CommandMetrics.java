package mail.protocol.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Commands by verb and replies by status or code of one protocol: {@code mail_<protocol>_commands_total{command}} and
 * {@code mail_<protocol>_replies_total{...}}. Every tag value comes from a closed set, whatever a client sends: a verb
 * outside the protocol's list counts as "other", so a client cannot grow the number of series.
 */
public final class CommandMetrics {
    public static final String OTHER = "other";

    private final MeterRegistry registry;
    private final Supplier<Counter.Builder> replyMeter;
    private final Map<String, Counter> commands = new HashMap<>();
    private final Counter otherCommand;
    private final Map<String, Counter> replies = new ConcurrentHashMap<>();

    private CommandMetrics(MeterRegistry registry, Set<String> verbs, Supplier<Counter.Builder> commandMeter,
                           Supplier<Counter.Builder> replyMeter) {
        this.registry = registry;
        this.replyMeter = replyMeter;
        for (String v : verbs) {
            commands.put(v, commandMeter.get().tag("command", v).register(registry));
        }
        otherCommand = commandMeter.get().tag("command", OTHER).register(registry);
    }

    /** @param verbs the protocol's commands, upper case */
    public static CommandMetrics smtp(MeterRegistry registry, Set<String> verbs) {
        return new CommandMetrics(registry, verbs,
                () -> Counter.builder("mail.smtp.commands").description("SMTP commands received, by verb"),
                () -> Counter.builder("mail.smtp.replies").description("SMTP replies sent, by code and class"));
    }

    public static CommandMetrics imap(MeterRegistry registry, Set<String> verbs) {
        return new CommandMetrics(registry, verbs,
                () -> Counter.builder("mail.imap.commands").description("IMAP commands received, by name"),
                () -> Counter.builder("mail.imap.replies").description("IMAP tagged replies sent, by status"));
    }

    public static CommandMetrics pop3(MeterRegistry registry, Set<String> verbs) {
        return new CommandMetrics(registry, verbs,
                () -> Counter.builder("mail.pop3.commands").description("POP3 commands received, by verb"),
                () -> Counter.builder("mail.pop3.replies").description("POP3 replies sent, by status"));
    }

    /** @param verb as the client wrote it (any case), or null when the line had none */
    public void command(String verb) {
        Counter c = verb == null ? null : commands.get(verb.toUpperCase(Locale.ROOT));
        (c == null ? otherCommand : c).increment();
    }

    /** A reply with a status from the protocol's closed set (IMAP OK/NO/BAD, POP3 OK/ERR). */
    public void status(String status) {
        replies.computeIfAbsent("status=" + status, k -> replyMeter.get().tag("status", status).register(registry)).increment();
    }

    /** An SMTP-style reply code: tagged with the exact code and its class (2xx...5xx); anything else is "other". */
    public void code(int code) {
        boolean valid = code >= 200 && code <= 599;
        String exact = valid ? Integer.toString(code) : OTHER;
        replies.computeIfAbsent("code=" + exact, k -> replyMeter.get().tag("code", exact)
                .tag("class", valid ? (code / 100) + "xx" : OTHER).register(registry)).increment();
    }

    /** The first word of a command line, without reading the rest (which may hold credentials). */
    public static String verb(String line) {
        if (line == null) {
            return null;
        }
        int end = 0;
        while (end < line.length() && end < 16 && line.charAt(end) != ' ') {
            end++;
        }
        return end == 0 ? null : line.substring(0, end);
    }
}
