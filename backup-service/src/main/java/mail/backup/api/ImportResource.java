package mail.backup.api;

import com.mongodb.client.MongoDatabase;
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
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import mail.backup.portability.Account;
import mail.backup.portability.ExchangeDirectory;
import mail.backup.portability.Format;
import mail.backup.portability.Importer;

/** Import of mbox files or a Maildir++ tree from below the exchange directory into an account, as a job. */
@Path("/api/v1/imports")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("mail-admin")
@Blocking
public class ImportResource {
    private final Jobs jobs;
    private final Importer importer;
    private final ExchangeDirectory exchange;
    private final MongoDatabase db;

    public ImportResource(Jobs jobs, Importer importer, ExchangeDirectory exchange, MongoDatabase db) {
        this.jobs = jobs;
        this.importer = importer;
        this.exchange = exchange;
        this.db = db;
    }

    /** @param path an mbox file, a directory of *.mbox files, or a Maildir, relative to the exchange directory */
    public record StartImport(String account, String format, String path) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(StartImport body) {
        if (body == null) {
            throw ApiException.invalid("account", "a JSON body with account, format and path is required");
        }
        Account account = ExportResource.account(db, body.account());
        Format format = ExportResource.format(body.format());
        java.nio.file.Path source = ExportResource.path(exchange, body.path());
        if (!Files.exists(source)) {
            throw ApiException.notFound(body.path() + " does not exist in the exchange directory");
        }
        String id = "import-" + UUID.randomUUID();
        Job job = jobs.submit(id, "import-" + format.name().toLowerCase(java.util.Locale.ROOT),
                j -> importer.importInto(account, format, source, body.path(), j));
        return Response.accepted(job.view()).location(URI.create("/api/v1/imports/" + id)).build();
    }

    @GET
    @Path("/{id}")
    public Job.View show(@PathParam("id") String id) {
        return jobs.find(id).filter(j -> j.kind().startsWith("import")).map(Job::view)
                .orElseThrow(() -> ApiException.notFound("no import " + id));
    }

    @GET
    public List<Job.View> list() {
        return jobs.list("import").stream().map(Job::view).toList();
    }
}
