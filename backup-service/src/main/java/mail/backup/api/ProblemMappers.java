package mail.backup.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mongodb.MongoException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import mail.backup.archive.BackupFormatException;
import mail.backup.restore.RestoreRefusedException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure of the backup API leaves as problem+json; exception text of unexpected errors never reaches the client. */
public final class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        String title = e.status() == 404 ? "Not found" : e.status() == 409 ? "Conflict" : "Invalid request";
        return Problem.response(e.status(), e.slug(), title, e.getMessage(), uri.getPath(), e.field());
    }

    @ServerExceptionMapper
    public Response format(BackupFormatException e, UriInfo uri) {
        return Problem.response(422, "invalid-backup", "Backup unusable", e.getMessage(), uri.getPath(), null);
    }

    @ServerExceptionMapper
    public Response refused(RestoreRefusedException e, UriInfo uri) {
        return Problem.response(409, "restore-refused", "Conflict", e.getMessage(), uri.getPath(), e.field());
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e, UriInfo uri) {
        return Problem.response(400, "invalid-json", "Invalid request", "the body is not the JSON this endpoint takes: "
                + e.getOriginalMessage(), uri.getPath(), null);
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e, UriInfo uri) {
        return Response.fromResponse(Problem.response(401, "unauthorized", "Unauthorized",
                        "a valid bearer token of the realm is required", uri.getPath(), null))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return Problem.response(403, "forbidden", "Forbidden", "the backup API needs the realm role mail-admin", uri.getPath(), null);
    }

    @ServerExceptionMapper({MongoTimeoutException.class, MongoSocketException.class})
    public Response mongoDown(MongoException e, UriInfo uri) {
        LOG.warnf("MongoDB unavailable for %s: %s", uri.getPath(), e.getMessage());
        return Problem.response(503, "dependency-unavailable", "MongoDB unavailable", "nothing was changed, retry later",
                uri.getPath(), null);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        if (e instanceof NotFoundException) {
            return Problem.response(404, "not-found", "Not found", "no such resource", uri.getPath(), null);
        }
        int status = e.getResponse().getStatus();
        String reason = e.getResponse().getStatusInfo().getReasonPhrase();
        return Problem.response(status, "http-" + status, reason, reason, uri.getPath(), null);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.errorf(e, "unexpected failure on %s", uri.getPath());
        return Problem.response(500, "internal", "Internal error", "an unexpected error occurred; see the service log",
                uri.getPath(), null);
    }
}
