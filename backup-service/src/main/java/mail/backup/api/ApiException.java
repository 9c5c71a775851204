package mail.backup.api;

/** A refusal with a problem+json answer. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String slug;
    private final String field;

    public ApiException(int status, String slug, String detail, String field) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.field = field;
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "not-found", what, null);
    }

    public static ApiException invalid(String field, String detail) {
        return new ApiException(400, "invalid-parameter", detail, field);
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String field() {
        return field;
    }
}
