package mail.relay.admin;

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
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure of the queue API leaves as problem+json; exception text of unexpected errors never reaches the client. */
public final class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        return Problem.response(e.status(), e.slug(), e.status() == 404 ? "Not found" : "Invalid request", e.getMessage(),
                uri.getPath(), e.field());
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e, UriInfo uri) {
        return Response.fromResponse(Problem.response(401, "unauthorized", "Unauthorized",
                        "a valid bearer token of the realm is required", uri.getPath(), null))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return Problem.response(403, "forbidden", "Forbidden", "the queue API needs the realm role mail-admin", uri.getPath(), null);
    }

    @ServerExceptionMapper({MongoTimeoutException.class, MongoSocketException.class})
    public Response mongoDown(MongoException e, UriInfo uri) {
        LOG.warnf("MongoDB unavailable for %s: %s", uri.getPath(), e.getMessage());
        return Problem.response(503, "dependency-unavailable", "MongoDB unavailable",
                "the queue is not reachable; nothing was changed, retry later", uri.getPath(), null);
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
