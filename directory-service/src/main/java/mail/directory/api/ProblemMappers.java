package mail.directory.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.mongodb.MongoException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.stream.Collectors;
import mail.core.text.LogText;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure leaves as problem+json; exception text of unexpected errors never reaches the client. */
public final class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        return Problem.response(e.status(), e.type(), e.title(), e.getMessage(), uri.getPath(), e.field());
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e, UriInfo uri) {
        return Response.fromResponse(Problem.response(401, "unauthorized", "Unauthorized",
                        "a valid bearer token of the realm is required", uri.getPath(), null))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return Problem.response(403, "forbidden", "Forbidden", "this endpoint needs a realm role the token does not carry",
                uri.getPath(), null);
    }

    @ServerExceptionMapper({MongoTimeoutException.class, MongoSocketException.class})
    public Response mongoDown(MongoException e, UriInfo uri) {
        LOG.warnf("MongoDB unavailable for %s: %s", uri.getPath(), e.getMessage());
        return Problem.response(503, "dependency-unavailable", "MongoDB unavailable",
                "the directory store is not reachable; nothing was changed, retry later", uri.getPath(), null);
    }

    // listed one by one: quarkus-rest-jackson has built-in mappers for the subclasses, and the closest type wins
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class, InvalidFormatException.class,
            UnrecognizedPropertyException.class})
    public Response json(JsonProcessingException e, UriInfo uri) {
        String field = null;
        String detail = "the request body is not valid JSON";
        if (e instanceof UnrecognizedPropertyException unknown) {
            field = unknown.getPropertyName();
            detail = "unknown field " + LogText.quote(field, 64);
        } else if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
            MismatchedInputException m = (MismatchedInputException) e;
            field = m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            detail = "field " + LogText.quote(field, 64) + " has the wrong type";
        }
        return Problem.response(400, "invalid-body", "Invalid request body", detail, uri.getPath(),
                field == null || field.isEmpty() ? null : field);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (e instanceof NotFoundException) {
            return Problem.response(404, "not-found", "Not found", "no such resource", uri.getPath(), null);
        }
        if (e instanceof NotAllowedException) {
            return Problem.response(405, "method-not-allowed", "Method not allowed", "method not allowed here",
                    uri.getPath(), null);
        }
        if (e instanceof NotSupportedException) {
            return Problem.response(415, "unsupported-media-type", "Unsupported media type",
                    "send application/json", uri.getPath(), null);
        }
        if (status == 400) {
            return Problem.response(400, "invalid-body", "Invalid request", "the request could not be read",
                    uri.getPath(), null);
        }
        return Problem.response(status, "http-" + status, e.getResponse().getStatusInfo().getReasonPhrase(),
                e.getResponse().getStatusInfo().getReasonPhrase(), uri.getPath(), null);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.errorf(e, "unexpected failure on %s", uri.getPath());
        return Problem.response(500, "internal", "Internal error", "an unexpected error occurred; see the service log",
                uri.getPath(), null);
    }
}
