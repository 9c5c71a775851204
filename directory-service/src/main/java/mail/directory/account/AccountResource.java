package mail.directory.account;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import mail.directory.api.Page;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/accounts")
@RolesAllowed("mail-admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "accounts")
@SecurityRequirement(name = "bearer")
public class AccountResource {
    private final AccountService service;

    public AccountResource(AccountService service) {
        this.service = service;
    }

    @POST
    @Operation(summary = "Create an account: a Keycloak user with role mail-user plus its mail attributes")
    public Response create(AccountService.CreateAccount req) {
        AccountView a = service.create(req);
        return Response.created(URI.create("/api/v1/accounts/" + a.address())).entity(a).build();
    }

    @GET
    @Operation(summary = "List accounts in address order; pass the answer's next as ?after= for the next page")
    public Page<AccountView> list(@QueryParam("domain") String domain, @QueryParam("after") String after,
                                  @QueryParam("limit") @DefaultValue("0") int limit) {
        return service.list(domain, after, limit);
    }

    @GET
    @Path("{address}")
    public AccountView get(@PathParam("address") String address) {
        return service.get(address);
    }

    @PATCH
    @Path("{address}")
    @Operation(summary = "Change any of password, displayName, quotaBytes, quotaMessages, enabled, saveSentCopy")
    public AccountView patch(@PathParam("address") String address, AccountService.PatchAccount req) {
        return service.patch(address, req);
    }

    @DELETE
    @Path("{address}")
    @Operation(summary = "Delete the account; its mail data is removed by a background job")
    public Response delete(@PathParam("address") String address) {
        service.delete(address);
        return Response.noContent().build();
    }
}
