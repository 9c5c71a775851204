package mail.core.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Objects;

/**
 * The mail-relevant attributes of a directory entity as of one revision. Only what the mail services need is
 * published; passwords and other directory-internal data stay in directory-service.
 *
 * <p>The JSON repeats the entity kind inside the snapshot: it makes the snapshot readable on its own, and
 * {@link DirectoryChanged} rejects a snapshot whose kind disagrees with the event's.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = DirectorySnapshot.Domain.class, name = "DOMAIN"),
        @JsonSubTypes.Type(value = DirectorySnapshot.Account.class, name = "ACCOUNT"),
        @JsonSubTypes.Type(value = DirectorySnapshot.Group.class, name = "GROUP"),
        @JsonSubTypes.Type(value = DirectorySnapshot.Alias.class, name = "ALIAS")
})
public sealed interface DirectorySnapshot {

    DirectoryChanged.EntityKind kind();

    /** The domain name or address this snapshot describes, in the spelling the directory keeps. */
    String key();

    /**
     * A hosted domain; mail to any of its alias domains is treated as mail to this one.
     *
     * @param catchAll where mail for an address of this domain (or of its alias domains) goes when nothing else
     *                 matches it, resolved like an alias target (local or remote); null for none. Added in the same
     *                 schema version: records written before it have none. Omitted from the JSON when null, so
     *                 that a snapshot without the newer fields encodes exactly as it did before they existed.
     */
    record Domain(String name, List<String> aliasDomains, @JsonInclude(JsonInclude.Include.NON_NULL) String catchAll) implements DirectorySnapshot {

        public Domain {
            Checks.nonBlank(name, "name");
            aliasDomains = Checks.nonBlankStrings(aliasDomains, "aliasDomains");
            if (catchAll != null) {
                Checks.address(catchAll, "catchAll");
            }
        }

        public Domain(String name, List<String> aliasDomains) {
            this(name, aliasDomains, null);
        }

        @Override
        public DirectoryChanged.EntityKind kind() {
            return DirectoryChanged.EntityKind.DOMAIN;
        }

        @Override
        public String key() {
            return name;
        }
    }

    /**
     * @param accountId          the stable id mailboxes are stored under; it survives an address change
     * @param quotaBytes         storage quota, {@link #UNLIMITED} for none
     * @param enabled            a disabled account keeps its mail but neither receives nor logs in
     * @param credentialsVersion changes (increases) whenever the password is changed or the account is disabled or
     *                           enabled. A service that sees it change closes that account's sessions and drops any
     *                           cached password check. Null in records written before the field existed: treat a
     *                           change from or to null as a change.
     * @param quotaMessages      message-count quota, null or {@link #UNLIMITED} for none
     * @param saveSentCopy       store a copy of what the account submits in its Sent mailbox; null (records written
     *                           before the field existed) and false mean no, as clients normally APPEND it themselves
     */
    record Account(String address, String accountId, String displayName, long quotaBytes, boolean enabled,
                   @JsonInclude(JsonInclude.Include.NON_NULL) Long credentialsVersion,
                   @JsonInclude(JsonInclude.Include.NON_NULL) Long quotaMessages,
                   @JsonInclude(JsonInclude.Include.NON_NULL) Boolean saveSentCopy) implements DirectorySnapshot {

        public static final long UNLIMITED = 0;

        public Account {
            Checks.address(address, "address");
            Checks.nonBlank(accountId, "accountId");
            Checks.optionalNonBlank(displayName, "displayName");
            Checks.atLeast(quotaBytes, 0, "quotaBytes");
            if (credentialsVersion != null) {
                Checks.atLeast(credentialsVersion, 0, "credentialsVersion");
            }
            if (quotaMessages != null) {
                Checks.atLeast(quotaMessages, 0, "quotaMessages");
            }
        }

        public Account(String address, String accountId, String displayName, long quotaBytes, boolean enabled) {
            this(address, accountId, displayName, quotaBytes, enabled, null, null, null);
        }

        public Account(String address, String accountId, String displayName, long quotaBytes, boolean enabled,
                       Long credentialsVersion, Long quotaMessages) {
            this(address, accountId, displayName, quotaBytes, enabled, credentialsVersion, quotaMessages, null);
        }

        /** Whether the delivery worker files a copy of this account's submissions into its Sent mailbox. */
        public boolean savesSentCopy() {
            return Boolean.TRUE.equals(saveSentCopy);
        }

        /**
         * Whether sessions and cached credentials that were valid for {@code previous} are no longer valid for this
         * snapshot of the same account: its credentials version, enabled flag or account id differ.
         */
        public boolean invalidatesCredentialsOf(Account previous) {
            return previous == null
                    || !Objects.equals(previous.credentialsVersion, credentialsVersion)
                    || previous.enabled != enabled
                    || !previous.accountId.equals(accountId);
        }

        /** The message-count quota, {@link #UNLIMITED} when there is none. */
        public long messageQuota() {
            return quotaMessages == null ? UNLIMITED : quotaMessages;
        }

        @Override
        public DirectoryChanged.EntityKind kind() {
            return DirectoryChanged.EntityKind.ACCOUNT;
        }

        @Override
        public String key() {
            return address;
        }
    }

    /** A distribution list; members may be local or remote addresses and the list may be empty. */
    record Group(String address, List<String> members) implements DirectorySnapshot {

        public Group {
            Checks.address(address, "address");
            members = Checks.nonBlankStrings(members, "members");
        }

        @Override
        public DirectoryChanged.EntityKind kind() {
            return DirectoryChanged.EntityKind.GROUP;
        }

        @Override
        public String key() {
            return address;
        }
    }

    /** An address that forwards to one or more targets; an alias without targets would silently drop mail. */
    record Alias(String address, List<String> targets) implements DirectorySnapshot {

        public Alias {
            Checks.address(address, "address");
            targets = Checks.nonBlankStrings(targets, "targets");
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("targets must not be empty");
            }
        }

        @Override
        public DirectoryChanged.EntityKind kind() {
            return DirectoryChanged.EntityKind.ALIAS;
        }

        @Override
        public String key() {
            return address;
        }
    }
}
