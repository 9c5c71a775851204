package mail.backup.api;

import com.mongodb.client.MongoDatabase;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Locale;
import java.util.UUID;
import mail.backup.portability.Account;
import mail.backup.portability.ImapImporter;
import mail.backup.portability.ImapSource;
import mail.backup.portability.PortabilityException;

/**
 * Migration from a remote IMAP server into an account, as a job listed with the file imports
 * ({@code GET /api/v1/imports/{id}}). The password or token is held by the job while it runs and never stored.
 */
@Path("/api/v1/imports/imap")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("mail-admin")
@Blocking
public class ImapImportResource {
    private final Jobs jobs;
    private final ImapImporter importer;
    private final MongoDatabase db;

    public ImapImportResource(Jobs jobs, ImapImporter importer, MongoDatabase db) {
        this.jobs = jobs;
        this.importer = importer;
        this.db = db;
    }

    /**
     * @param tls               implicit (default), starttls or none
     * @param port              defaults to 993 for implicit TLS, else 143
     * @param mechanism         with a token: xoauth2 (default) or oauthbearer
     * @param verifyCertificate defaults to true
     */
    public record StartImapImport(String account, String host, Integer port, String tls, String user, String password,
                                  String token, String mechanism, Boolean verifyCertificate) {
        @Override
        public String toString() {
            return "StartImapImport[" + account + " from " + user + "@" + host + "]";
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(StartImapImport body) {
        if (body == null) {
            throw ApiException.invalid("account", "a JSON body with account, host, user and password or token is required");
        }
        if (body.account() == null || body.account().isBlank()) {
            throw ApiException.invalid("account", "account is required");
        }
        ImapSource source = source(body);
        Account account = ExportResource.account(db, body.account());
        String id = "import-" + UUID.randomUUID();
        Job job = jobs.submit(id, "import-imap", j -> importer.importInto(account, source, j));
        return Response.accepted(job.view()).location(URI.create("/api/v1/imports/" + id)).build();
    }

    static ImapSource source(StartImapImport body) {
        ImapSource.Tls tls;
        String t = body.tls() == null ? "implicit" : body.tls().trim().toLowerCase(Locale.ROOT);
        if (t.equals("implicit") || t.equals("ssl") || t.equals("tls")) {
            tls = ImapSource.Tls.IMPLICIT;
        } else if (t.equals("starttls")) {
            tls = ImapSource.Tls.STARTTLS;
        } else if (t.equals("none")) {
            tls = ImapSource.Tls.NONE;
        } else {
            throw ApiException.invalid("tls", "tls must be implicit, starttls or none, not " + body.tls());
        }
        boolean password = body.password() != null && !body.password().isEmpty();
        boolean token = body.token() != null && !body.token().isEmpty();
        if (password == token) {
            throw ApiException.invalid(password ? "token" : "password", "give either password or token");
        }
        ImapSource.Auth auth = ImapSource.Auth.PASSWORD;
        if (token) {
            String m = body.mechanism() == null ? "xoauth2" : body.mechanism().trim().toLowerCase(Locale.ROOT);
            if (m.equals("xoauth2")) {
                auth = ImapSource.Auth.XOAUTH2;
            } else if (m.equals("oauthbearer")) {
                auth = ImapSource.Auth.OAUTHBEARER;
            } else {
                throw ApiException.invalid("mechanism", "mechanism must be xoauth2 or oauthbearer, not " + body.mechanism());
            }
        } else if (body.mechanism() != null) {
            throw ApiException.invalid("mechanism", "mechanism goes with a token, not with a password");
        }
        try {
            return new ImapSource(body.host() == null ? "" : body.host().trim(), body.port() == null ? ImapSource.defaultPort(tls) : body.port(),
                    tls, body.user(), token ? body.token() : body.password(), auth, body.verifyCertificate() == null || body.verifyCertificate());
        } catch (PortabilityException e) {
            throw ApiException.invalid(e.field(), e.getMessage());
        }
    }
}
