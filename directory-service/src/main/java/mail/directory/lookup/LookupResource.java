package mail.directory.lookup;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import mail.core.address.EmailAddress;
import mail.core.address.InvalidAddressException;
import mail.core.text.LogText;
import mail.directory.api.ApiException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Read-only questions of the mail services, for the moments their directory cache cannot answer (still loading
 * directory.changes). Callers are the services' own client (realm role {@code mail-service}) and administrators;
 * a mail user may not probe which addresses exist.
 */
@Path("/internal/v1")
@RolesAllowed({"mail-service", "mail-admin"})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "internal")
@SecurityRequirement(name = "bearer")
public class LookupResource {
    private static final int MAX_ECHO = 80;

    private final DirectoryLookup lookup;

    public LookupResource(DirectoryLookup lookup) {
        this.lookup = lookup;
    }

    @GET
    @Path("resolve")
    @Operation(summary = "Where mail for an address goes: NOT_LOCAL, UNKNOWN, DELIVERABLE, DISABLED or UNRESOLVABLE (temporary or not)")
    public DirectoryLookup.RecipientAnswer resolve(@QueryParam("address") String address) {
        return lookup.recipient(parse(address, "address"));
    }

    @GET
    @Path("senders")
    @Operation(summary = "Whether the account may use the address as its envelope or header sender")
    public DirectoryLookup.SenderAnswer sender(@QueryParam("account") String account, @QueryParam("address") String address) {
        return lookup.sender(parse(account, "account"), parse(address, "address"));
    }

    // address literals are valid here (they are simply not local), unlike in the admin API
    private static EmailAddress parse(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid(field, field + " is required");
        }
        try {
            return EmailAddress.parse(value.strip());
        } catch (InvalidAddressException e) {
            throw ApiException.invalid(field, field + " " + LogText.quote(value, MAX_ECHO) + " is not a valid address: " + e.reason());
        }
    }
}
