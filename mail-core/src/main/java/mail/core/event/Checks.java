package mail.core.event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Shared argument checks for the event records. Messages name the field because they end up, wrapped in an
 * {@link EventFormatException}, in consumer logs and dead-letter headers where nobody has the stack trace.
 */
final class Checks {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Checks() {
    }

    static void attributes(String id, String source, Instant time) {
        eventId(id, "id");
        source(source);
        required(time, "time");
    }

    static <T> T required(T value, String name) {
        return Objects.requireNonNull(value, () -> name + " must not be null");
    }

    static String nonBlank(String value, String name) {
        required(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    static String optionalNonBlank(String value, String name) {
        return value == null ? null : nonBlank(value, name);
    }

    // Idempotency keys are compared as strings, so only the canonical lower-case form is accepted.
    static String eventId(String value, String name) {
        required(value, name);
        if (!UUID_TEXT.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must be a lower-case canonical UUID, got '" + value + "'");
        }
        return value;
    }

    static String source(String value) {
        nonBlank(value, "source");
        if (value.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("source must be a URI reference without whitespace, got '" + value + "'");
        }
        return value;
    }

    /**
     * An envelope address as it appears between the angle brackets of MAIL FROM / RCPT TO. The local part may be
     * quoted and contain '@', so the domain is whatever follows the last '@'.
     */
    static String address(String value, String name) {
        nonBlank(value, name);
        noControlCharacters(value, name);
        if (value.startsWith("<") || value.endsWith(">")) {
            throw new IllegalArgumentException(name + " must be given without angle brackets, got '" + value + "'");
        }
        int at = value.lastIndexOf('@');
        if (at <= 0 || at == value.length() - 1) {
            throw new IllegalArgumentException(name + " must have the form local-part@domain, got '" + value + "'");
        }
        return value;
    }

    static String domainOf(String address) {
        return address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    static String noControlCharacters(String value, String name) {
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(name + " must not contain control characters");
        }
        return value;
    }

    static String lowerCase(String value, String name) {
        nonBlank(value, name);
        noControlCharacters(value, name);
        if (!value.equals(value.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(name + " must be lower case, got '" + value + "'");
        }
        return value;
    }

    static long atLeast(long value, long min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
        }
        return value;
    }

    static <T> List<T> list(List<T> value, String name) {
        required(value, name);
        List<T> copy = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            copy.add(required(value.get(i), name + "[" + i + "]"));
        }
        return List.copyOf(copy);
    }

    // Absent collections read as empty so that a collection added in a later minor revision needs no version bump.
    static <T> List<T> listOrEmpty(List<T> value, String name) {
        return value == null ? List.of() : list(value, name);
    }

    static <T> List<T> nonEmptyList(List<T> value, String name) {
        List<T> copy = list(value, name);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return copy;
    }

    static List<String> nonBlankStrings(List<String> value, String name) {
        List<String> copy = listOrEmpty(value, name);
        for (int i = 0; i < copy.size(); i++) {
            nonBlank(copy.get(i), name + "[" + i + "]");
        }
        return copy;
    }

    // An EnumSet keeps the JSON array in declaration order, so equal events encode to identical bytes.
    static <E extends Enum<E>> Set<E> enumSet(Collection<E> value, Class<E> type, String name) {
        EnumSet<E> copy = EnumSet.noneOf(type);
        if (value != null) {
            for (E element : value) {
                copy.add(required(element, name + " element"));
            }
        }
        return Collections.unmodifiableSet(copy);
    }
}
