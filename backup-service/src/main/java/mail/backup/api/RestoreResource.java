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
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import mail.backup.archive.ArchiveNames;
import mail.backup.archive.Manifest;
import mail.backup.engine.Chain;
import mail.backup.restore.RestoreRequest;
import mail.backup.restore.Restorer;
import mail.backup.location.BackupTarget;

/**
 * Restores: the whole platform, one account, or one mailbox, from a named backup or from the newest backup taken at
 * or before a point in time. Checks that can be made up front (the backup exists, the account is named) answer 400/404
 * at once; the restore itself runs as a job.
 */
@Path("/api/v1/restores")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("mail-admin")
@Blocking
public class RestoreResource {
    private final Jobs jobs;
    private final Restorer restorer;
    private final BackupTarget target;

    public RestoreResource(Jobs jobs, Restorer restorer, BackupTarget target) {
        this.jobs = jobs;
        this.restorer = restorer;
        this.target = target;
    }

    /**
     * @param at    instead of backupId: restore the state of the newest backup created at or before this time
     * @param scope full, account or mailbox
     */
    public record StartRestore(String backupId, String at, String scope, String account, String mailbox, Boolean force) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(StartRestore body) throws IOException {
        if (body == null) {
            throw ApiException.invalid("scope", "a JSON body with scope and backupId (or at) is required");
        }
        RestoreRequest.Scope scope;
        try {
            scope = RestoreRequest.Scope.valueOf((body.scope() == null ? "full" : body.scope()).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("scope", "scope must be full, account or mailbox");
        }
        String backupId = resolve(body);
        if (scope != RestoreRequest.Scope.FULL && (body.account() == null || body.account().isBlank())) {
            throw ApiException.invalid("account", "account is required for a " + scope.name().toLowerCase(Locale.ROOT) + " restore");
        }
        if (scope == RestoreRequest.Scope.MAILBOX && (body.mailbox() == null || body.mailbox().isBlank())) {
            throw ApiException.invalid("mailbox", "mailbox is required for a mailbox restore");
        }
        RestoreRequest request = new RestoreRequest(backupId, scope, body.account(), body.mailbox(), Boolean.TRUE.equals(body.force()));
        restorer.checkEmpty(request);
        String id = "restore-" + UUID.randomUUID();
        Job job = jobs.submit(id, "restore-" + scope.name().toLowerCase(Locale.ROOT), j -> restorer.restore(target, request, j));
        return Response.accepted(job.view()).location(URI.create("/api/v1/restores/" + id)).build();
    }

    private String resolve(StartRestore body) throws IOException {
        if (body.backupId() != null && !body.backupId().isBlank()) {
            if (!ArchiveNames.isBackupId(body.backupId())) {
                throw ApiException.invalid("backupId", "not a backup id: " + body.backupId());
            }
            if (!target.exists(ArchiveNames.manifest(body.backupId()))) {
                throw ApiException.notFound("no backup " + body.backupId() + " in " + target.describe());
            }
            return body.backupId();
        }
        if (body.at() == null || body.at().isBlank()) {
            throw ApiException.invalid("backupId", "backupId or at is required");
        }
        Instant at;
        try {
            at = Instant.parse(body.at());
        } catch (DateTimeParseException e) {
            throw ApiException.invalid("at", "at must be an RFC 3339 time in UTC, e.g. 2026-11-29T12:00:00Z");
        }
        List<String> ids = target.backupIds();
        String best = null;
        for (String id : ids) {
            Manifest m = Chain.manifest(target, id);
            if (!m.createdAt().isAfter(at)) {
                best = id;
            }
        }
        if (best == null) {
            throw ApiException.notFound("no backup was taken at or before " + at);
        }
        return best;
    }

    @GET
    @Path("/{id}")
    public Job.View show(@PathParam("id") String id) {
        return jobs.find(id).map(Job::view).orElseThrow(() -> ApiException.notFound("no restore " + id));
    }

    @GET
    public List<Job.View> list() {
        return jobs.list("restore").stream().map(Job::view).toList();
    }
}
