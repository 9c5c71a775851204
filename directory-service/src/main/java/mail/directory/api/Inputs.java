package mail.directory.api;

import mail.core.address.Domain;
import mail.core.address.EmailAddress;
import mail.core.address.InvalidAddressException;
import mail.core.text.LogText;

/** Validation and normalisation of request fields; every failure names the field. */
public final class Inputs {

    public static final int MAX_DISPLAY_NAME = 256;
    public static final int MAX_PASSWORD = 1024;
    private static final int MAX_ECHO = 80;

    private Inputs() {
    }

    public static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid(field, field + " is required");
        }
        return value;
    }

    /** A mailbox in a domain (no address literals: we host none); IDN domains become A-labels. */
    public static EmailAddress address(String value, String field) {
        required(value, field);
        EmailAddress address;
        try {
            address = EmailAddress.parse(value.strip());
        } catch (InvalidAddressException e) {
            throw ApiException.invalid(field, field + " " + LogText.quote(value, MAX_ECHO) + " is not a valid address: "
                    + e.reason());
        }
        if (!(address.domain() instanceof Domain)) {
            throw ApiException.invalid(field, field + " must be in a domain, not an address literal");
        }
        return address;
    }

    public static Domain domain(String value, String field) {
        required(value, field);
        try {
            Domain domain = Domain.parse(value.strip());
            if (!domain.asciiForm().contains(".")) {
                throw ApiException.invalid(field, field + " " + LogText.quote(value, MAX_ECHO)
                        + " must be a fully qualified domain name");
            }
            return domain;
        } catch (InvalidAddressException e) {
            throw ApiException.invalid(field, field + " " + LogText.quote(value, MAX_ECHO) + " is not a valid domain: "
                    + e.reason());
        }
    }

    public static String displayName(String value, String field) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        if (v.isEmpty()) {
            return null;
        }
        if (v.length() > MAX_DISPLAY_NAME) {
            throw ApiException.invalid(field, field + " is longer than " + MAX_DISPLAY_NAME + " characters");
        }
        if (v.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid(field, field + " must not contain control characters");
        }
        return v;
    }

    public static String password(String value, String field, int minLength) {
        if (value == null || value.isEmpty()) {
            throw ApiException.invalid(field, field + " is required");
        }
        if (value.codePointCount(0, value.length()) < minLength) {
            throw ApiException.invalid(field, field + " must have at least " + minLength + " characters");
        }
        if (value.length() > MAX_PASSWORD) {
            throw ApiException.invalid(field, field + " is longer than " + MAX_PASSWORD + " characters");
        }
        // SASL PLAIN cannot carry NUL, and line breaks cannot be typed into a login prompt
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid(field, field + " must not contain control characters");
        }
        return value;
    }

    public static long nonNegative(Long value, String field, long dflt) {
        if (value == null) {
            return dflt;
        }
        if (value < 0) {
            throw ApiException.invalid(field, field + " must be >= 0 (0 = unlimited)");
        }
        return value;
    }
}
