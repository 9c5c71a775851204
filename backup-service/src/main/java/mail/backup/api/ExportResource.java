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
import mail.backup.portability.Exporter;
import mail.backup.portability.Format;

/**
 * Per-account export to mboxrd files or a Maildir++ tree, written below the exchange directory on the server. The
 * request is checked at once (account, format, path); the export runs as a job with progress, like a backup.
 */
@Path("/api/v1/exports")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("mail-admin")
@Blocking
public class ExportResource {
    private final Jobs jobs;
    private final Exporter exporter;
    private final ExchangeDirectory exchange;
    private final MongoDatabase db;

    public ExportResource(Jobs jobs, Exporter exporter, ExchangeDirectory exchange, MongoDatabase db) {
        this.jobs = jobs;
        this.exporter = exporter;
        this.exchange = exchange;
        this.db = db;
    }

    /** @param path a directory that does not exist yet, relative to the exchange directory */
    public record StartExport(String account, String format, String path) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(StartExport body) {
        if (body == null) {
            throw ApiException.invalid("account", "a JSON body with account, format and path is required");
        }
        Account account = account(db, body.account());
        Format format = format(body.format());
        java.nio.file.Path target = path(exchange, body.path());
        if (Files.exists(target)) {
            throw new ApiException(409, "export-refused", body.path() + " exists; an export never writes into an existing directory",
                    "path");
        }
        String id = "export-" + UUID.randomUUID();
        Job job = jobs.submit(id, "export-" + format.name().toLowerCase(java.util.Locale.ROOT),
                j -> exporter.export(account, format, target, body.path(), j));
        return Response.accepted(job.view()).location(URI.create("/api/v1/exports/" + id)).build();
    }

    @GET
    @Path("/{id}")
    public Job.View show(@PathParam("id") String id) {
        return jobs.find(id).filter(j -> j.kind().startsWith("export")).map(Job::view)
                .orElseThrow(() -> ApiException.notFound("no export " + id));
    }

    @GET
    public List<Job.View> list() {
        return jobs.list("export").stream().map(Job::view).toList();
    }

    static Account account(MongoDatabase db, String given) {
        if (given == null || given.isBlank()) {
            throw ApiException.invalid("account", "account (address or account id) is required");
        }
        return Account.find(db, given).orElseThrow(() -> ApiException.notFound("no account " + given));
    }

    static Format format(String given) {
        try {
            return Format.parse(given);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("format", e.getMessage());
        }
    }

    static java.nio.file.Path path(ExchangeDirectory exchange, String given) {
        try {
            return exchange.resolve(given);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("path", e.getMessage());
        }
    }
}
