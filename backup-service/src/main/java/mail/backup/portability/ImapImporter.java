package mail.backup.portability;

import static com.mongodb.client.model.Filters.in;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLException;
import mail.backup.engine.Progress;
import org.bson.Document;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPInputStream;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.jboss.logging.Logger;

/**
 * Migrates an account from a remote IMAP server (Angus Mail as the client) through the same APPEND path as the file
 * import: every selectable folder, each message with its flags, keywords and internal date.
 *
 * <p>Messages are listed in batches (UID, FLAGS, INTERNALDATE, RFC822.SIZE) and each body is streamed in partial
 * {@code BODY.PEEK[]} fetches into a spool file, so neither a mailbox nor a large message is held in memory, and the
 * source is only read (EXAMINE, PEEK: no \Seen set on the old server). What was imported is remembered per
 * (source, folder, UIDVALIDITY, UID) in {@value #STATE}: a re-run after an interruption downloads only what is
 * missing. When the folder's UIDVALIDITY changed those records no longer apply and every message is downloaded again;
 * the content-hash delivery key of the file import then finds what is there.
 */
public final class ImapImporter {
    public static final String STATE = "imap_import_state";
    private static final Logger LOG = Logger.getLogger(ImapImporter.class);
    private static final int BATCH = 100;
    private static final int FETCH_BLOCK = 256 * 1024;

    private final Importer importer;
    private final MongoCollection<Document> state;
    private final Duration timeout;

    public ImapImporter(MongoDatabase db, Importer importer, Duration timeout) {
        this.importer = importer;
        this.state = db.getCollection(STATE);
        this.timeout = timeout;
    }

    private record Source(IMAPFolder folder, String local) {
    }

    public ImapImportResult importInto(Account account, ImapSource source, Progress progress) {
        long started = System.nanoTime();
        Importer.Run run = new Importer.Run();
        List<String> mapped = new ArrayList<>();
        Counters counters = new Counters(progress);
        progress.phase("connecting to " + source.shownAs(), -1);
        Store store = connect(source);
        try {
            importer.checkQuota(account, run);
            List<Source> folders = folders(store, source, run, mapped);
            long total = 0;
            for (Source f : folders) {
                total += count(f.folder(), source);
            }
            counters.foldersTotal = folders.size();
            counters.messagesTotal = total;
            progress.phase("messages", total);
            counters.show();
            Files.createDirectories(importer.spool());
            for (Source f : folders) {
                importFolder(account, source, f, run, counters, progress);
                counters.foldersDone++;
                counters.show();
            }
        } catch (IOException e) {
            throw new PortabilityException("spool", "the import spool failed: " + e.getMessage() + "; " + run.imported
                    + " messages were imported and are kept", e);
        } finally {
            try {
                store.close();
            } catch (MessagingException e) {
                LOG.debugf("closing %s: %s", source, e.getMessage());
            }
        }
        LOG.infof("IMAP import of %s into %s: %d imported, %d imported before, %d already there, %d rejected", source,
                account.address(), run.imported, counters.skipped, run.duplicates, run.rejectedCount);
        return new ImapImportResult(account.address(), source.shownAs(), List.copyOf(mapped), List.copyOf(run.created), run.imported,
                counters.skipped, run.duplicates, run.bytes, List.copyOf(run.rejected), run.rejectedCount, List.copyOf(run.warnings),
                (System.nanoTime() - started) / 1_000_000);
    }

    // ------------------------------------------------------------------------------------------------ connecting

    private Store connect(ImapSource source) {
        String protocol = source.tls() == ImapSource.Tls.IMPLICIT ? "imaps" : "imap";
        String p = "mail." + protocol + ".";
        Properties props = new Properties();
        props.put(p + "connectiontimeout", String.valueOf(timeout.toMillis()));
        props.put(p + "timeout", String.valueOf(timeout.toMillis()));
        props.put(p + "writetimeout", String.valueOf(timeout.toMillis()));
        props.put(p + "fetchsize", String.valueOf(FETCH_BLOCK));
        props.put(p + "peek", "true");
        props.put(p + "partialfetch", "true");
        if (source.tls() == ImapSource.Tls.STARTTLS) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        if (source.tls() != ImapSource.Tls.NONE) {
            if (source.verifyCertificate()) {
                props.put(p + "ssl.checkserveridentity", "true");
            } else {
                props.put(p + "ssl.trust", "*");
                props.put(p + "ssl.checkserveridentity", "false");
            }
        }
        if (source.auth() == ImapSource.Auth.XOAUTH2) {
            props.put(p + "auth.mechanisms", "XOAUTH2");
        } else if (source.auth() == ImapSource.Auth.OAUTHBEARER) {
            OAuthBearerSasl.install();
            props.put(p + "sasl.enable", "true");
            props.put(p + "sasl.mechanisms", OAuthBearerSasl.MECHANISM);
            // if the server lacks OAUTHBEARER, the token goes as XOAUTH2, never as a password
            props.put(p + "auth.mechanisms", "XOAUTH2");
        } else {
            props.put(p + "auth.xoauth2.disable", "true");
        }
        Session session = Session.getInstance(props);
        session.setDebug(false);
        try {
            Store store = session.getStore(protocol);
            store.connect(source.host(), source.port(), source.user(), source.secret());
            return store;
        } catch (AuthenticationFailedException e) {
            throw new PortabilityException(source.auth() == ImapSource.Auth.PASSWORD ? "password" : "token", source.shownAs()
                    + " refused the login of " + source.user() + " (" + text(e) + "); nothing was imported");
        } catch (MessagingException e) {
            throw new PortabilityException("host", "cannot " + reach(e) + " " + source.shownAs() + ": " + cause(e) + "; nothing was imported", e);
        }
    }

    private static String reach(MessagingException e) {
        return tlsFailure(e) ? "establish TLS with" : "connect to";
    }

    private static boolean tlsFailure(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SSLException || c instanceof java.security.GeneralSecurityException) {
                return true;
            }
        }
        return false;
    }

    private static String cause(Throwable e) {
        Throwable c = root(e);
        if (c instanceof ConnectException) {
            return "connection refused";
        }
        if (c instanceof UnknownHostException) {
            return "unknown host " + c.getMessage();
        }
        if (c instanceof SocketTimeoutException) {
            return "no answer in time";
        }
        if (tlsFailure(e)) {
            return "its certificate is not trusted or TLS failed (" + c.getMessage() + "); set verifyCertificate false to accept a "
                    + "self-signed certificate";
        }
        return text(c);
    }

    private static Throwable root(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        if (c instanceof MessagingException m && m.getNextException() != null) {
            return root(m.getNextException());
        }
        return c;
    }

    private static String text(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.strip();
    }

    // ------------------------------------------------------------------------------------------------ folders

    private List<Source> folders(Store store, ImapSource source, Importer.Run run, List<String> mapped) {
        try {
            String prefix = "";
            Folder[] personal = store.getPersonalNamespaces();
            if (personal.length > 0 && personal[0].getFullName() != null && !personal[0].getFullName().isEmpty()) {
                prefix = personal[0].getFullName() + personal[0].getSeparator();
            }
            List<IMAPFolder> all = new ArrayList<>();
            boolean inbox = false;
            for (Folder f : store.getDefaultFolder().list("*")) {
                all.add((IMAPFolder) f);
                inbox |= f.getFullName().equalsIgnoreCase("INBOX");
            }
            if (!inbox) {
                all.add(0, (IMAPFolder) store.getFolder("INBOX"));
            }
            // folders with a special-use attribute first: they, not a look-alike name, get the default mailboxes
            List<IMAPFolder> ordered = new ArrayList<>(all.stream().filter(f -> specialUse(f)).toList());
            all.stream().filter(f -> !specialUse(f)).forEach(ordered::add);
            ImapFolderNames names = new ImapFolderNames(prefix);
            Map<String, Source> byRemote = new LinkedHashMap<>();
            for (IMAPFolder f : ordered) {
                List<String> attrs = attributes(f);
                if (attrs.stream().anyMatch(a -> a.equalsIgnoreCase("\\Noselect") || a.equalsIgnoreCase("\\NonExistent"))) {
                    continue;
                }
                if (ImapFolderNames.virtual(attrs)) {
                    run.warn("left out " + f.getFullName() + ": a virtual folder " + attrs + " showing messages of other folders");
                    continue;
                }
                Optional<String> local = names.local(f.getFullName(), f.getSeparator(), attrs);
                if (local.isEmpty()) {
                    continue;
                }
                try {
                    mail.core.mailbox.MailboxName.fromUtf8(local.get());
                } catch (RuntimeException e) {
                    run.warn("left out " + f.getFullName() + ": '" + local.get() + "' cannot be a mailbox name here (" + e.getMessage() + ")");
                    continue;
                }
                byRemote.put(f.getFullName(), new Source(f, local.get()));
            }
            List<Source> out = new ArrayList<>();
            for (IMAPFolder f : all) {
                Source s = byRemote.get(f.getFullName());
                if (s != null) {
                    out.add(s);
                    mapped.add(f.getFullName() + " -> " + s.local());
                }
            }
            return out;
        } catch (MessagingException e) {
            throw new PortabilityException("host", source.shownAs() + " failed while listing folders: " + cause(e) + "; nothing was imported", e);
        }
    }

    private static boolean specialUse(IMAPFolder f) {
        return attributes(f).stream().anyMatch(a -> List.of("\\sent", "\\drafts", "\\trash", "\\junk", "\\archive")
                .contains(a.toLowerCase(java.util.Locale.ROOT)));
    }

    private static List<String> attributes(IMAPFolder f) {
        try {
            String[] a = f.getAttributes();
            return a == null ? List.of() : Arrays.asList(a);
        } catch (MessagingException e) {
            return List.of();
        }
    }

    private static long count(IMAPFolder f, ImapSource source) {
        try {
            return Math.max(0, f.getMessageCount());
        } catch (MessagingException e) {
            throw new PortabilityException("host", source.shownAs() + " failed to count the messages of " + f.getFullName() + ": "
                    + cause(e) + "; nothing was imported", e);
        }
    }

    // ------------------------------------------------------------------------------------------------ messages

    private void importFolder(Account account, ImapSource source, Source src, Importer.Run run, Counters counters, Progress progress)
            throws IOException {
        IMAPFolder f = src.folder();
        Importer.Target target = importer.new Target(account, src.local(), run);
        long uid = 0;
        try {
            f.open(Folder.READ_ONLY);
            long uidValidity = f.getUIDValidity();
            // the mailbox exists even when the remote folder is empty: the migrated account shows the same folders
            target.mailbox();
            String folderKey = Importer.sha256(f.getFullName().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
            String prefix = account.id() + "/" + source.key() + "/" + folderKey + "/" + uidValidity + "/";
            int n = f.getMessageCount();
            FetchProfile profile = new FetchProfile();
            profile.add(UIDFolder.FetchProfileItem.UID);
            profile.add(FetchProfile.Item.FLAGS);
            profile.add(FetchProfile.Item.SIZE);
            profile.add(IMAPFolder.FetchProfileItem.INTERNALDATE);
            for (int from = 1; from <= n; from += BATCH) {
                Message[] batch = f.getMessages(from, Math.min(n, from + BATCH - 1));
                f.fetch(batch, profile);
                Map<String, String> done = new HashMap<>();
                List<String> ids = new ArrayList<>();
                for (Message m : batch) {
                    ids.add(prefix + f.getUID(m));
                }
                for (Document d : state.find(in("_id", ids))) {
                    done.put(d.getString("_id"), d.getString("sha256"));
                }
                for (Message m : batch) {
                    uid = f.getUID(m);
                    String id = prefix + uid;
                    String digest = done.get(id);
                    if (digest != null) {
                        // counted as the file import counts it, so that the occurrence numbers of what follows do not shift
                        target.occurrences.merge(digest, 1, Integer::sum);
                        counters.skipped++;
                    } else {
                        one(target, src, (IMAPMessage) m, uid, id, run, counters);
                    }
                    progress.advance(++run.done);
                }
                counters.show();
            }
        } catch (MessagingException e) {
            throw new PortabilityException("host", source.shownAs() + " failed while importing " + f.getFullName()
                    + (uid > 0 ? " (at UID " + uid + ")" : "") + ": " + cause(e) + "; " + run.imported + " messages were imported and "
                    + "are kept. Run the import again: it continues where it stopped.", e);
        } finally {
            target.announce();
            if (f.isOpen()) {
                try {
                    f.close(false);
                } catch (MessagingException e) {
                    LOG.debugf("closing %s: %s", f.getFullName(), e.getMessage());
                }
            }
        }
    }

    private void one(Importer.Target target, Source src, IMAPMessage m, long uid, String stateId, Importer.Run run, Counters counters)
            throws MessagingException, IOException {
        String what = src.folder().getFullName() + " UID " + uid;
        int size = m.getSize();
        if (size > importer.maxMessageBytes()) {
            // the server says how large it is: not downloaded at all
            run.reject(what + ": " + size + " octets, over the limit of " + importer.maxMessageBytes());
            return;
        }
        Date received = m.getReceivedDate();
        Instant date = received == null ? Instant.now() : received.toInstant();
        List<String> flags = new ArrayList<>();
        Flags fl = m.getFlags();
        for (Flags.Flag flag : fl.getSystemFlags()) {
            String name = systemFlag(flag);
            if (name != null) {
                flags.add(name);
            }
        }
        List<String> keywords = new ArrayList<>(Arrays.asList(fl.getUserFlags()));
        Path tmp = Files.createTempFile(importer.spool(), "imap-", ".eml");
        try {
            Importer.Spooled s;
            try (Importer.Spooled sink = new Importer.Spooled(tmp, importer.maxMessageBytes());
                 InputStream in = new IMAPInputStream(m, null, -1, true)) {
                in.transferTo(sink);
                s = sink;
            } catch (IOException e) {
                if (e.getCause() instanceof MessagingException me) {
                    throw me;
                }
                throw new MessagingException(e.getMessage() == null ? "the connection failed" : e.getMessage(), e);
            }
            counters.bytes += s.size;
            Importer.Outcome outcome = importer.one(target, s, date, flags, keywords, what, run);
            if (outcome != Importer.Outcome.REJECTED) {
                remember(stateId, s.sha256());
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void remember(String id, String digest) {
        try {
            state.insertOne(new Document("_id", id).append("sha256", digest).append("at", new Date()));
        } catch (MongoException e) {
            // another run recorded it first (the local server reports a duplicate _id as a generic error)
            if (state.find(in("_id", List.of(id))).first() == null) {
                throw e;
            }
        }
    }

    private static String systemFlag(Flags.Flag f) {
        if (f == Flags.Flag.SEEN) {
            return "\\Seen";
        }
        if (f == Flags.Flag.ANSWERED) {
            return "\\Answered";
        }
        if (f == Flags.Flag.FLAGGED) {
            return "\\Flagged";
        }
        if (f == Flags.Flag.DELETED) {
            return "\\Deleted";
        }
        if (f == Flags.Flag.DRAFT) {
            return "\\Draft";
        }
        // \Recent belongs to the old server's session, not to the message
        return null;
    }

    /** Folders, messages and bytes as the job shows them. */
    private static final class Counters {
        final Progress progress;
        long foldersTotal;
        long foldersDone;
        long messagesTotal;
        long skipped;
        long bytes;

        Counters(Progress progress) {
            this.progress = progress;
        }

        void show() {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("foldersDone", foldersDone);
            m.put("foldersTotal", foldersTotal);
            m.put("messagesTotal", messagesTotal);
            m.put("alreadyImported", skipped);
            m.put("bytes", bytes);
            progress.counters(m);
        }
    }
}
