package mail.directory.dkim;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import mail.directory.api.Inputs;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * DKIM private keys for the outbound relay. Only the services' own client (realm role {@code mail-service}) may
 * fetch them: not administrators, whose tokens travel through browsers and CLIs, and never mail users.
 */
@Path("/internal/v1/dkim")
@RolesAllowed("mail-service")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "internal")
@SecurityRequirement(name = "bearer")
public class SigningKeyResource {
    private static final Logger LOG = Logger.getLogger(SigningKeyResource.class);

    private final SigningKeys keys;

    public SigningKeyResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @Path("{domain}")
    @Operation(summary = "The domain's current DKIM private keys (PKCS#8, base64), one per algorithm; 404 when none")
    public Response current(@PathParam("domain") String domain) {
        String name = Inputs.domain(domain, "domain").asciiForm();
        SigningKeys.DomainKeys answer = keys.current(name);
        LOG.debugf("DKIM keys of %s handed out (%d)", name, answer.keys().size());
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        noStore.setNoCache(true);
        return Response.ok(answer).cacheControl(noStore).build();
    }
}
