package mail.directory.api;

/**
 * A request that cannot be carried out, with everything its RFC 9457 problem document needs. {@code type} is a stable
 * slug that clients may switch on; {@code detail} is for humans and may change.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final String field;

    public ApiException(int status, String type, String title, String detail, String field) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.field = field;
    }

    public static ApiException invalid(String field, String detail) {
        return new ApiException(400, "invalid-field", "Invalid field", detail, field);
    }

    public static ApiException notFound(String what, String key) {
        return new ApiException(404, "not-found", "Not found", what + " " + key + " does not exist", null);
    }

    public static ApiException exists(String field, String detail) {
        return new ApiException(409, "already-exists", "Already exists", detail, field);
    }

    public static ApiException conflict(String type, String detail) {
        return new ApiException(409, type, "Conflict", detail, null);
    }

    public static ApiException unavailable(String dependency, String detail) {
        return new ApiException(503, "dependency-unavailable", dependency + " unavailable", detail, null);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String field() {
        return field;
    }
}
