package mail.backup.adapter.s3;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import mail.backup.archive.ArchiveNames;
import mail.backup.archive.BackupFormatException;
import mail.backup.location.BackupTarget;

/** Backups in an S3 bucket (MinIO, S3, S3Proxy) through the MinIO client; a separate bucket from the messages'. */
public final class S3Target implements BackupTarget {
    private static final long PART_SIZE = 16L * 1024 * 1024;

    private final MinioClient client;
    private final String bucket;
    private volatile boolean bucketChecked;

    public S3Target(MinioClient client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    private static String key(String name) {
        if (name.startsWith("/") || name.contains("..") || name.contains("\\")) {
            throw new BackupFormatException("refused archive name '" + name + "'");
        }
        return name;
    }

    private void ensureBucket() throws IOException {
        if (bucketChecked) {
            return;
        }
        try {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                try {
                    client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                } catch (ErrorResponseException e) {
                    String code = e.errorResponse().code();
                    if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                        throw e;
                    }
                }
            }
            bucketChecked = true;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot create backup bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(String name, Path file) throws IOException {
        ensureBucket();
        try {
            client.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key(name)).filename(file.toString(), PART_SIZE)
                    .contentType("application/octet-stream").build());
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot write " + name + " to bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream open(String name) throws IOException {
        try {
            return client.getObject(GetObjectArgs.builder().bucket(bucket).object(key(name)).build());
        } catch (ErrorResponseException e) {
            if (notFound(e)) {
                throw new FileNotFoundException(name);
            }
            throw new IOException("cannot read " + name + " from bucket " + bucket + ": " + e.errorResponse().code(), e);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot read " + name + " from bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists(String name) throws IOException {
        try {
            client.statObject(StatObjectArgs.builder().bucket(bucket).object(key(name)).build());
            return true;
        } catch (ErrorResponseException e) {
            if (notFound(e)) {
                return false;
            }
            throw new IOException("cannot stat " + name + ": " + e.errorResponse().code(), e);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot stat " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String name) throws IOException {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key(name)).build());
        } catch (ErrorResponseException e) {
            if (!notFound(e)) {
                throw new IOException("cannot delete " + name + " from bucket " + bucket + ": " + e.errorResponse().code(), e);
            }
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot delete " + name + " from bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> backupIds() throws IOException {
        List<String> ids = new ArrayList<>();
        try {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                return ids;
            }
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(bucket).recursive(false).build())) {
                Item item = r.get();
                String prefix = item.objectName();
                if (item.isDir() && prefix.endsWith("/")) {
                    String id = prefix.substring(0, prefix.length() - 1);
                    if (ArchiveNames.isBackupId(id) && exists(id + "/manifest.json")) {
                        ids.add(id);
                    }
                }
            }
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot list bucket " + bucket + ": " + e.getMessage(), e);
        }
        ids.sort(null);
        return ids;
    }

    private static boolean notFound(ErrorResponseException e) {
        String code = e.errorResponse().code();
        return "NoSuchKey".equals(code) || "NoSuchObject".equals(code) || "NotFound".equals(code) || "NoSuchBucket".equals(code);
    }

    @Override
    public String describe() {
        return "bucket " + bucket;
    }
}
