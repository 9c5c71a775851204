package mail.directory.reconcile;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import mail.directory.publish.Republisher;
import mail.directory.purge.MailPurger;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Runs the periodic jobs now, for an administrator who just changed Keycloak directly (and for tests). */
@Path("/api/v1/maintenance")
@RolesAllowed("mail-admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "maintenance")
@SecurityRequirement(name = "bearer")
public class ReconcileResource {
    private final Reconciler reconciler;
    private final Republisher republisher;
    private final MailPurger purger;

    public ReconcileResource(Reconciler reconciler, Republisher republisher, MailPurger purger) {
        this.reconciler = reconciler;
        this.republisher = republisher;
        this.purger = purger;
    }

    public record RepublishReport(int pending) {
    }

    @POST
    @Path("reconcile")
    @Operation(summary = "Pick up users created, disabled or deleted directly in Keycloak")
    public Reconciler.Report reconcile() {
        return reconciler.reconcile();
    }

    @POST
    @Path("republish")
    @Operation(summary = "Publish changes whose publication to directory.changes failed; answers how many still wait")
    public RepublishReport republish() {
        return new RepublishReport(republisher.republish());
    }

    @POST
    @Path("purge")
    @Operation(summary = "Remove the mail data (messages, mailboxes) of deleted accounts")
    public MailPurger.Report purge() {
        return purger.purge();
    }
}
