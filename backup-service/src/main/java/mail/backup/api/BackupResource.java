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
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mail.backup.archive.ArchiveNames;
import mail.backup.archive.BackupFormatException;
import mail.backup.archive.Manifest;
import mail.backup.engine.BackupRunner;
import mail.backup.engine.Chain;
import mail.backup.engine.Verifier;
import mail.backup.location.BackupTarget;

/** Backups: start one (full or incremental), follow it, list them, verify one. */
@Path("/api/v1/backups")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("mail-admin")
@Blocking
public class BackupResource {
    private final Jobs jobs;
    private final BackupRunner runner;
    private final BackupTarget target;
    private final Clock clock = Clock.systemUTC();

    private final mail.backup.schedule.BackupJobs backups;

    public BackupResource(Jobs jobs, BackupRunner runner, BackupTarget target, mail.backup.schedule.BackupJobs backups) {
        this.jobs = jobs;
        this.runner = runner;
        this.target = target;
        this.backups = backups;
    }

    /** @param incremental true for an increment on the newest backup of the target */
    public record StartBackup(Boolean incremental) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(StartBackup body) {
        boolean incremental = body != null && Boolean.TRUE.equals(body.incremental());
        Job job = backups.backup(incremental);
        return Response.accepted(job.view()).location(URI.create("/api/v1/backups/" + job.id())).build();
    }

    @GET
    public List<Map<String, Object>> list() throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : target.backupIds()) {
            out.add(summary(id, Optional.empty()));
        }
        for (Job j : jobs.list("backup")) {
            if (j.state() == Job.State.QUEUED || j.state() == Job.State.RUNNING || j.state() == Job.State.FAILED) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", j.id());
                m.put("state", j.view().state());
                m.put("job", j.view());
                out.add(m);
            }
        }
        return out;
    }

    @GET
    @Path("/{id}")
    public Map<String, Object> show(@PathParam("id") String id) throws IOException {
        if (!ArchiveNames.isBackupId(id)) {
            throw ApiException.invalid("id", "not a backup id: " + id);
        }
        Optional<Job> job = jobs.find(id);
        if (job.isEmpty() && !target.exists(ArchiveNames.manifest(id))) {
            throw ApiException.notFound("no backup " + id + " in " + target.describe());
        }
        return summary(id, job);
    }

    private Map<String, Object> summary(String id, Optional<Job> job) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        if (target.exists(ArchiveNames.manifest(id))) {
            try {
                Manifest manifest = Chain.manifest(target, id);
                m.put("state", "complete");
                m.put("kind", manifest.kind());
                m.put("parentId", manifest.parentId());
                m.put("createdAt", manifest.createdAt());
                m.put("finishedAt", manifest.finishedAt());
                m.put("formatVersion", manifest.formatVersion());
                m.put("stats", manifest.stats());
                m.put("kafkaOffsets", manifest.kafkaOffsets());
            } catch (BackupFormatException e) {
                m.put("state", "unreadable");
                m.put("error", e.getMessage());
            }
        }
        job.ifPresent(j -> {
            m.putIfAbsent("state", j.view().state());
            m.put("job", j.view());
        });
        return m;
    }

    @POST
    @Path("/{id}/verify")
    public Verifier.Report verify(@PathParam("id") String id) throws IOException {
        if (!ArchiveNames.isBackupId(id)) {
            throw ApiException.invalid("id", "not a backup id: " + id);
        }
        if (!target.exists(ArchiveNames.manifest(id))) {
            throw ApiException.notFound("no backup " + id + " in " + target.describe());
        }
        return new Verifier().verify(target, id, mail.backup.engine.Progress.NONE);
    }
}
