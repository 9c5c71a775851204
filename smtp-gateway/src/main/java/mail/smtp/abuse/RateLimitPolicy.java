package mail.smtp.abuse;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import mail.core.abuse.AuthFailureLedger;
import mail.core.abuse.SharedRateLimits.Limit;
import mail.protocol.net.Cidr;
import mail.smtp.server.Listener;

/**
 * Which shared limits an action is counted against. Client addresses are counted by network as for authentication
 * failures (IPv4 address, IPv6 /64); exempt networks have no per-address limits, while accounts are limited from
 * wherever they submit. A limit configured as 0 is off.
 */
public final class RateLimitPolicy {
    static final Duration MINUTE = Duration.ofMinutes(1);
    static final Duration HOUR = Duration.ofHours(1);
    static final Duration DAY = Duration.ofDays(1);

    /** @param exempt networks without per-address limits */
    public record Settings(int mxConnectionsPerMinute, int submissionConnectionsPerMinute, int mxMessagesPerHour,
                           int accountMessagesPerHour, int accountMessagesPerDay, int accountRecipientsPerHour,
                           int accountRecipientsPerDay, List<String> exempt) {
    }

    private final Settings settings;
    private final List<Cidr> exempt;

    public RateLimitPolicy(Settings settings) {
        this.settings = settings;
        this.exempt = Cidr.parseAll(settings.exempt());
    }

    /** Connections per client network and minute, on the MX and (together) the two submission listeners. */
    public Optional<Limit> connection(Listener listener, InetAddress client) {
        boolean mx = listener == Listener.MX;
        int max = mx ? settings.mxConnectionsPerMinute() : settings.submissionConnectionsPerMinute();
        if (max <= 0 || exempt(client)) {
            return Optional.empty();
        }
        return Optional.of(new Limit("conn:" + (mx ? "mx" : "submission") + ":" + network(client), MINUTE, max));
    }

    /** Messages per client network and hour on the MX. */
    public List<Limit> mxMessages(InetAddress client) {
        if (settings.mxMessagesPerHour() <= 0 || exempt(client)) {
            return List.of();
        }
        return List.of(new Limit("msg:mx:" + network(client), HOUR, settings.mxMessagesPerHour()));
    }

    /** Messages an account submits, per hour and per day. */
    public List<Limit> accountMessages(String account) {
        return perHourAndDay("msg:" + account(account), settings.accountMessagesPerHour(), settings.accountMessagesPerDay());
    }

    /** Recipients of the messages an account submits, per hour and per day. */
    public List<Limit> accountRecipients(String account) {
        return perHourAndDay("rcpt:" + account(account), settings.accountRecipientsPerHour(), settings.accountRecipientsPerDay());
    }

    private static List<Limit> perHourAndDay(String key, int perHour, int perDay) {
        List<Limit> out = new ArrayList<>(2);
        if (perHour > 0) {
            out.add(new Limit(key, HOUR, perHour));
        }
        if (perDay > 0) {
            out.add(new Limit(key, DAY, perDay));
        }
        return List.copyOf(out);
    }

    private boolean exempt(InetAddress client) {
        for (Cidr c : exempt) {
            if (c.contains(client)) {
                return true;
            }
        }
        return false;
    }

    private static String network(InetAddress client) {
        return AuthFailureLedger.clientKey(AuthFailureLedger.clientNetwork(client));
    }

    private static String account(String account) {
        return "account:" + account.toLowerCase(Locale.ROOT);
    }
}
