package mail.backup.api;

import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import mail.backup.schedule.BackupJobs;

/** Applies the retention policy (mail.backup.retention.*) on demand, as a job; with dryRun it only says what would go. */
@Path("/api/v1/prunes")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("mail-admin")
@Blocking
public class PruneResource {
    private final Jobs jobs;
    private final BackupJobs backups;

    public PruneResource(Jobs jobs, BackupJobs backups) {
        this.jobs = jobs;
        this.backups = backups;
    }

    public record StartPrune(Boolean dryRun) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(StartPrune body) {
        Job job = backups.prune(body != null && Boolean.TRUE.equals(body.dryRun()));
        return Response.accepted(job.view()).location(URI.create("/api/v1/prunes/" + job.id())).build();
    }

    @GET
    @Path("/{id}")
    public Job.View show(@PathParam("id") String id) {
        return jobs.find(id).filter(j -> j.kind().equals("prune")).map(Job::view).orElseThrow(() -> ApiException.notFound("no prune " + id));
    }

    @GET
    public List<Job.View> list() {
        return jobs.list("prune").stream().map(Job::view).toList();
    }
}
