package mail.core.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** The MAIL FROM BODY parameter (RFC 6152, RFC 3030); on the wire the SMTP keyword itself. */
public enum BodyType {
    SEVEN_BIT("7BIT"),
    EIGHT_BIT_MIME("8BITMIME"),
    BINARY_MIME("BINARYMIME");

    private final String keyword;

    BodyType(String keyword) {
        this.keyword = keyword;
    }

    @JsonValue
    public String keyword() {
        return keyword;
    }

    public static BodyType fromKeyword(String keyword) {
        for (BodyType type : values()) {
            if (type.keyword.equalsIgnoreCase(keyword)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown BODY type '" + keyword + "'");
    }
}
