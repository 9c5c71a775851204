package mail.directory.forwarding;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import mail.core.event.DirectoryChanged.EntityKind;
import mail.directory.api.Page;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/aliases")
@RolesAllowed("mail-admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "aliases")
@SecurityRequirement(name = "bearer")
public class AliasResource {
    private static final EntityKind KIND = EntityKind.ALIAS;
    private final ForwardingService service;

    public AliasResource(ForwardingService service) {
        this.service = service;
    }

    public record Create(String address, List<String> targets) {
    }

    /** Either {@code targets} (replace all) or {@code add} / {@code remove}. */
    public record Update(List<String> targets, List<String> add, List<String> remove) {
    }

    public record View(String address, List<String> targets, long revision, java.time.Instant createdAt) {
        static View of(ForwardView v) {
            return new View(v.address(), v.targets(), v.revision(), v.createdAt());
        }
    }

    @POST
    public Response create(Create req) {
        View v = View.of(service.create(KIND, req == null ? null : req.address(), req == null ? null : req.targets()));
        return Response.created(URI.create("/api/v1/aliases/" + v.address())).entity(v).build();
    }

    @GET
    public Page<View> list(@QueryParam("domain") String domain, @QueryParam("after") String after,
                           @QueryParam("limit") @DefaultValue("0") int limit) {
        Page<ForwardView> p = service.list(KIND, domain, after, limit);
        return new Page<>(p.items().stream().map(View::of).toList(), p.next());
    }

    @GET
    @Path("{address}")
    public View get(@PathParam("address") String address) {
        return View.of(service.get(KIND, address));
    }

    @PUT
    @Path("{address}")
    public View replace(@PathParam("address") String address, Update req) {
        return update(address, req);
    }

    @PATCH
    @Path("{address}")
    public View update(@PathParam("address") String address, Update req) {
        Update u = req == null ? new Update(null, null, null) : req;
        return View.of(service.update(KIND, address, u.targets(), u.add(), u.remove()));
    }

    @DELETE
    @Path("{address}")
    public Response delete(@PathParam("address") String address) {
        service.delete(KIND, address);
        return Response.noContent().build();
    }
}
