package mail.backup.archive;

import java.util.regex.Pattern;

/**
 * The only names a backup may contain. A manifest is input like any other: a name such as {@code ../../etc/passwd}
 * or an absolute path must never reach the file system or a bucket key, so every name is checked against this closed
 * grammar before it is used, when writing and when reading.
 */
public final class ArchiveNames {
    private static final Pattern ID = Pattern.compile("[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}");
    private static final Pattern COLLECTION = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,119}");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern CONTENT = Pattern.compile(
            "(" + ID.pattern() + "/(mongo/" + COLLECTION.pattern() + "\\.(ndjson|index)\\.gz|keycloak/realm\\.json\\.gz|blobrefs\\.gz)"
                    + "|blobs/" + HEX.pattern() + "\\.gz)");

    private ArchiveNames() {
    }

    public static boolean isBackupId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public static String backupId(String id) {
        if (!isBackupId(id)) {
            throw new BackupFormatException("invalid backup id '" + printable(id) + "'");
        }
        return id;
    }

    public static boolean isCollection(String name) {
        return name != null && COLLECTION.matcher(name).matches() && !name.startsWith("system.") && !name.contains("..");
    }

    public static String content(String name) {
        if (name == null || !CONTENT.matcher(name).matches() || name.contains("..")) {
            throw new BackupFormatException("refused archive name '" + printable(name) + "': not a name a backup may contain");
        }
        return name;
    }

    public static String manifest(String backupId) {
        return backupId(backupId) + "/manifest.json";
    }

    public static String collectionFile(String backupId, String collection) {
        return backupId + "/mongo/" + collection + ".ndjson.gz";
    }

    public static String indexFile(String backupId, String collection) {
        return backupId + "/mongo/" + collection + ".index.gz";
    }

    /** Every blob the backed-up state refers to (digest and size), whether this backup or an earlier one copied it. */
    public static String blobRefsFile(String backupId) {
        return backupId + "/blobrefs.gz";
    }

    public static String realmFile(String backupId) {
        return backupId + "/keycloak/realm.json.gz";
    }

    public static String blobFile(String sha256) {
        if (sha256 == null || !HEX.matcher(sha256).matches()) {
            throw new BackupFormatException("invalid blob digest '" + printable(sha256) + "'");
        }
        return "blobs/" + sha256 + ".gz";
    }

    /** The digest of a blob file name, or null if the name is not one. */
    public static String blobDigest(String name) {
        if (name == null || !name.startsWith("blobs/") || !name.endsWith(".gz")) {
            return null;
        }
        String hex = name.substring("blobs/".length(), name.length() - ".gz".length());
        return HEX.matcher(hex).matches() ? hex : null;
    }

    static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
            if (b.length() > 200) {
                return b.append("…").toString();
            }
        }
        return b.toString();
    }
}
