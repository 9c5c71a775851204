package mail.core.address;

import java.util.Objects;

/**
 * Stable, opaque identifier of an account. Deliberately not an {@link EmailAddress}: addresses
 * can be renamed or aliased while the account they lead to stays the same. The character set is
 * narrow enough to embed the id in object-store keys, Kafka record keys and log lines unescaped.
 */
public record AccountId(String value) {

    public static final int MAX_LENGTH = 128;

    /** @throws IllegalArgumentException if the value is empty, too long or has other characters */
    public AccountId {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("account id is empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "account id is longer than " + MAX_LENGTH + " characters (" + value.length() + ")");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isAllowed(c)) {
                throw new IllegalArgumentException("account id contains a character other than "
                        + "[A-Za-z0-9._@+-] at index " + i + ": " + InvalidAddressException.echo(value));
            }
        }
    }

    public static AccountId of(String value) {
        return new AccountId(value);
    }

    private static boolean isAllowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '@' || c == '+' || c == '-';
    }

    /** The raw id, so that it can be concatenated into keys and log messages directly. */
    @Override
    public String toString() {
        return value;
    }
}
