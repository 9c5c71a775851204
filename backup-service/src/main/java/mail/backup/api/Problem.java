package mail.backup.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

/** RFC 9457 problem details, with the same stable type URIs as directory-service's admin API. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String field) {
    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_PREFIX = "urn:mailplatform:problem:";

    public static Response response(int status, String slug, String title, String detail, String instance, String field) {
        return Response.status(status).type(MEDIA_TYPE)
                .entity(new Problem(TYPE_PREFIX + slug, title, status, detail, instance, field)).build();
    }
}
