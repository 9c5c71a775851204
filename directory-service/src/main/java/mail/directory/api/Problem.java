package mail.directory.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

/** RFC 9457 problem details; {@code field} names the offending request field for 400 answers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String field) {

    public static final String MEDIA_TYPE = "application/problem+json";
    /** Stable type URIs: a client switches on the slug after the last ':'. */
    public static final String TYPE_PREFIX = "urn:mailplatform:problem:";

    public static Response response(int status, String slug, String title, String detail, String instance, String field) {
        return Response.status(status).type(MEDIA_TYPE)
                .entity(new Problem(TYPE_PREFIX + slug, title, status, detail, instance, field)).build();
    }
}
