package mail.directory.domain;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
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
import mail.directory.api.ApiException;
import mail.directory.dns.DnsRecords;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/domains")
@RolesAllowed("mail-admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "domains")
@SecurityRequirement(name = "bearer")
public class DomainResource {
    private final DomainService service;
    private final DnsRecords dns;

    public DomainResource(DomainService service, DnsRecords dns) {
        this.service = service;
        this.dns = dns;
    }

    public record AliasRequest(String name) {
    }

    public record CatchAllRequest(String target) {
    }

    @POST
    @Operation(summary = "Create a domain (DKIM keys are generated)")
    public Response create(DomainService.CreateDomain req) {
        DomainView d = service.create(req);
        return Response.created(URI.create("/api/v1/domains/" + d.name())).entity(d).build();
    }

    @GET
    public List<DomainView> list() {
        return service.list();
    }

    @GET
    @Path("{name}")
    public DomainView get(@PathParam("name") String name) {
        return service.get(name);
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete a domain; refused with 409 while it has addresses unless force=true")
    public Response delete(@PathParam("name") String name, @QueryParam("force") @DefaultValue("false") boolean force) {
        service.delete(name, force);
        return Response.noContent().build();
    }

    @POST
    @Path("{name}/aliases")
    @Operation(summary = "Add an alias domain")
    public DomainView addAlias(@PathParam("name") String name, AliasRequest req) {
        return service.addAlias(name, req == null ? null : req.name());
    }

    @DELETE
    @Path("{name}/aliases/{alias}")
    public DomainView removeAlias(@PathParam("name") String name, @PathParam("alias") String alias) {
        return service.removeAlias(name, alias);
    }

    @PUT
    @Path("{name}/catch-all")
    @Operation(summary = "Set the catch-all target, used only when no address of the domain matches")
    public DomainView setCatchAll(@PathParam("name") String name, CatchAllRequest req) {
        if (req == null || req.target() == null || req.target().isBlank()) {
            throw ApiException.invalid("target", "target is required");
        }
        return service.setCatchAll(name, req.target());
    }

    @DELETE
    @Path("{name}/catch-all")
    public DomainView removeCatchAll(@PathParam("name") String name) {
        return service.setCatchAll(name, null);
    }

    @POST
    @Path("{name}/dkim/rotate")
    @Operation(summary = "Generate new DKIM keys; the previous generation stays published")
    public DomainView rotate(@PathParam("name") String name) {
        return service.rotateDkim(name);
    }

    @GET
    @Path("{name}/dns")
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    @Operation(summary = "DNS records to publish: MX, SPF, DKIM, DMARC, SRV, autoconfig; ?format=zone for a zone file")
    public Response dns(@PathParam("name") String name, @QueryParam("format") @DefaultValue("json") String format) {
        DomainRecord d = service.require(DomainService.canonical(name));
        List<DnsRecords.Record> records = dns.records(d);
        if ("zone".equals(format)) {
            return Response.ok(DnsRecords.zone(d.name(), records), MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8")).build();
        }
        if (!"json".equals(format)) {
            throw ApiException.invalid("format", "format must be json or zone");
        }
        return Response.ok(new DnsRecords.Listing(d.name(), records), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
