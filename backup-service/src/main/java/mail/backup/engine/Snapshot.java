package mail.backup.engine;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import mail.backup.archive.ArchiveNames;
import mail.backup.archive.BackupFormatException;
import mail.backup.archive.ContentFile;
import mail.backup.archive.Manifest;
import mail.backup.location.BackupTarget;
import org.bson.Document;

/**
 * The state one backup stands for. Each backup's index lists every document of the state (id and hash); a document's
 * content is in the newest backup of the chain that wrote that version, so reading walks the chain newest first and
 * takes each document where its hash first matches.
 */
public final class Snapshot {
    private final BackupTarget target;
    private final Chain chain;

    public Snapshot(BackupTarget target, Chain chain) {
        this.target = target;
        this.chain = chain;
    }

    public Manifest manifest() {
        return chain.top();
    }

    public Chain chain() {
        return chain;
    }

    /** id key → document hash of the collection in this state; empty if the collection was not there. */
    public Map<String, String> index(String collection) {
        Map<String, String> out = new HashMap<>();
        Optional<ContentFile> f = topFile(ArchiveNames.indexFile(chain.top().id(), collection));
        if (f.isEmpty()) {
            return out;
        }
        Lines.read(target, f.get(), line -> {
            int space = line.indexOf(' ');
            if (space != 64) {
                throw new BackupFormatException("malformed line in " + f.get().name());
            }
            out.put(line.substring(space + 1), line.substring(0, space));
        });
        return out;
    }

    /** Digest → size of every blob the state refers to. */
    public Map<String, Long> blobRefs() {
        Map<String, Long> out = new LinkedHashMap<>();
        Optional<ContentFile> f = topFile(ArchiveNames.blobRefsFile(chain.top().id()));
        if (f.isEmpty()) {
            return out;
        }
        Lines.read(target, f.get(), line -> {
            int space = line.indexOf(' ');
            if (space != 64) {
                throw new BackupFormatException("malformed line in " + f.get().name());
            }
            out.put(line.substring(0, space), Long.parseLong(line.substring(space + 1).trim()));
        });
        return out;
    }

    public interface DocumentConsumer {
        void accept(Document d) throws Exception;
    }

    /**
     * Every document of the collection in this state that matches {@code filter}, each exactly once.
     *
     * @throws BackupFormatException if the chain lacks a document its index lists
     */
    public long documents(String collection, Predicate<Document> filter, DocumentConsumer consumer) {
        Map<String, String> needed = index(collection);
        long[] n = new long[1];
        for (Manifest m : chain.manifests()) {
            if (needed.isEmpty()) {
                break;
            }
            String name = ArchiveNames.collectionFile(m.id(), collection);
            Optional<ContentFile> f = m.files().stream().filter(x -> x.name().equals(name)).findFirst();
            if (f.isEmpty()) {
                continue;
            }
            Lines.read(target, f.get(), line -> {
                Document d = Documents.parse(line);
                String key = Documents.idKey(d);
                String want = needed.get(key);
                if (want != null && want.equals(Digests.sha256(line))) {
                    needed.remove(key);
                    if (filter.test(d)) {
                        try {
                            consumer.accept(d);
                            n[0]++;
                        } catch (RuntimeException e) {
                            throw e;
                        } catch (Exception e) {
                            throw new IllegalStateException(e.getMessage(), e);
                        }
                    }
                }
            });
        }
        if (!needed.isEmpty()) {
            throw new BackupFormatException(needed.size() + " document(s) of collection " + collection + " listed by backup "
                    + chain.top().id() + " are in none of its chain's files");
        }
        return n[0];
    }

    private Optional<ContentFile> topFile(String name) {
        return chain.top().files().stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
