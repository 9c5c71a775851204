package mail.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Logger;

/**
 * Every record logged while installed, on the root logger of the real log manager, with the MDC it was logged with;
 * the categories named are lowered to DEBUG meanwhile, so that a session's quieter lines are checked too.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    public record Line(String logger, String thread, String text, Map<String, String> mdc) {
    }

    private final List<Line> lines = new ArrayList<>();
    private final List<Logger> lowered = new ArrayList<>();
    private final List<java.util.logging.Level> before = new ArrayList<>();

    public LogCapture(String... debugCategories) {
        setLevel(Level.ALL);
        Logger.getLogger("").addHandler(this);
        for (String c : debugCategories) {
            Logger l = Logger.getLogger(c);
            lowered.add(l);
            before.add(l.getLevel());
            l.setLevel(Level.FINE);
        }
    }

    @Override
    public void publish(LogRecord record) {
        ExtLogRecord r = ExtLogRecord.wrap(record);
        StringBuilder text = new StringBuilder(r.getFormattedMessage() == null ? "" : r.getFormattedMessage());
        for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
            text.append(" | ").append(t);
        }
        synchronized (lines) {
            lines.add(new Line(r.getLoggerName(), r.getThreadName(), text.toString(), Map.copyOf(r.getMdcCopy())));
        }
    }

    public List<Line> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
        for (int i = 0; i < lowered.size(); i++) {
            lowered.get(i).setLevel(before.get(i));
        }
    }
}
