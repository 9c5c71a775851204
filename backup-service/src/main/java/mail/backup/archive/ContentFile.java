package mail.backup.archive;

/**
 * One file of a backup as the manifest lists it.
 *
 * @param name   relative to the target's root ({@link ArchiveNames}); blobs are shared by every backup of a target
 * @param sha256 of the stored (compressed) bytes
 * @param size   stored bytes
 * @param items  documents in a collection file, 1 for a blob or the realm
 */
public record ContentFile(String name, String kind, String sha256, long size, long items) {
    public static final String COLLECTION = "collection";
    public static final String INDEX = "index";
    public static final String BLOB = "blob";
    public static final String BLOB_REFS = "blobrefs";
    public static final String REALM = "realm";
}
