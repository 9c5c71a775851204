package mail.pop3.protocol;

import java.util.Optional;
import java.util.OptionalInt;

/** One decoded POP3 command line (RFC 1939, RFC 2449 CAPA, RFC 2595 STLS, RFC 5034 AUTH). */
public sealed interface Pop3Command {

    record User(String name) implements Pop3Command {
    }

    record Pass(String password) implements Pop3Command {
    }

    /** AUTH without a mechanism lists the mechanisms (the RFC 1734 habit many clients still probe with). */
    record Auth(Optional<String> mechanism, Optional<String> initialResponse) implements Pop3Command {
    }

    record Capa() implements Pop3Command {
    }

    record Stls() implements Pop3Command {
    }

    record Stat() implements Pop3Command {
    }

    record List(OptionalInt message) implements Pop3Command {
    }

    record Uidl(OptionalInt message) implements Pop3Command {
    }

    record Retr(int message) implements Pop3Command {
    }

    record Top(int message, int lines) implements Pop3Command {
    }

    record Dele(int message) implements Pop3Command {
    }

    record Noop() implements Pop3Command {
    }

    record Rset() implements Pop3Command {
    }

    record Quit() implements Pop3Command {
    }
}
