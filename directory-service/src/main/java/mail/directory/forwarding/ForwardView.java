package mail.directory.forwarding;

import java.time.Instant;
import java.util.List;

/** An alias (targets) or a group (members), as the admin API shows it. */
public record ForwardView(String address, List<String> targets, long revision, Instant createdAt) {
}
