package mail.core.blob;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import mail.core.event.MessageRef;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/**
 * {@link BlobStore} on the MinIO Java client (MinIO, S3, or S3Proxy locally). A put spools the bytes to a temporary
 * file while hashing them, because the object key is the hash and is only known at the end; the file is then uploaded
 * in parts, so neither a 50 MB message nor many concurrent ones are ever held in heap.
 */
public final class S3BlobStore implements BlobStore {
    private static final long PART_SIZE = 8L * 1024 * 1024;

    private final MinioClient client;
    private final String bucket;
    private final Path spoolDir;

    public S3BlobStore(MinioClient client, String bucket, Path spoolDir) {
        this.client = client;
        this.bucket = bucket;
        this.spoolDir = spoolDir;
    }

    public static S3BlobStore create(String endpoint, String accessKey, String secretKey, String region, String bucket) {
        MinioClient c = MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).region(region)
                .httpClient(httpClient()).build();
        return new S3BlobStore(c, bucket, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * The HTTP client for MinIO, with the JDK's default trust store set explicitly. The MinIO client derives a new
     * OkHttp client for every streamed PUT; without an explicit trust manager each derivation loads the platform's
     * CA list again and compares it certificate by certificate with the previous one, which cost about a quarter of
     * the SMTP gateway's CPU per accepted message. With it, the derivation shares the same objects. Certificates are
     * verified exactly as before.
     */
    public static OkHttpClient httpClient() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            X509TrustManager trust = null;
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    trust = x;
                    break;
                }
            }
            if (trust == null) {
                throw new IllegalStateException("the JDK offers no X509TrustManager");
            }
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {trust}, null);
            return new OkHttpClient.Builder()
                    .protocols(List.of(Protocol.HTTP_1_1))
                    .sslSocketFactory(tls.getSocketFactory(), trust)
                    .connectTimeout(Duration.ofSeconds(10))
                    .readTimeout(Duration.ofSeconds(60))
                    .writeTimeout(Duration.ofSeconds(60))
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for the object store client: " + e.getMessage(), e);
        }
    }

    /** Creates the bucket if it is missing; safe to call from every copy of every service at start. */
    public void ensureBucket() {
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
        } catch (Exception e) {
            throw failure("cannot create bucket " + bucket, e);
        }
    }

    public boolean bucketExists() {
        try {
            return client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
        } catch (Exception e) {
            throw failure("cannot reach bucket " + bucket, e);
        }
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public MessageRef put(InputStream content) {
        Path spool = null;
        try {
            Files.createDirectories(spoolDir);
            spool = Files.createTempFile(spoolDir, "blob-", ".eml");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long size;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(spool), sha)) {
                size = content.transferTo(out);
            }
            return putSpooled(spool, HexFormat.of().formatHex(sha.digest()), size);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        } catch (BlobStoreException e) {
            throw e;
        } catch (Exception e) {
            throw failure("cannot store message", e);
        } finally {
            if (spool != null) {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException ignored) {
                    // a leftover spool file in the temp dir is harmless
                }
            }
        }
    }

    @Override
    public MessageRef putSpooled(Path file, String sha256, long size) {
        MessageRef ref = MessageRef.of(sha256, size);
        try {
            try {
                upload(file, ref);
            } catch (Exception e) {
                if (!noSuchBucket(e)) {
                    throw e;
                }
                // a fresh store, or a bucket removed under us: create it and try once more
                ensureBucket();
                upload(file, ref);
            }
            return ref;
        } catch (BlobStoreException e) {
            throw e;
        } catch (Exception e) {
            throw failure("cannot store message", e);
        }
    }

    private static boolean noSuchBucket(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ErrorResponseException er && "NoSuchBucket".equals(er.errorResponse().code())) {
                return true;
            }
        }
        return false;
    }

    /**
     * No existence check first: the key is the content's hash, so writing it again writes the same bytes, and a stat
     * before every upload would cost a round trip per message to save one only for duplicates.
     */
    private void upload(Path file, MessageRef ref) throws Exception {
        client.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(ref.blobKey())
                .filename(file.toString(), PART_SIZE).contentType("message/rfc822").build());
    }

    @Override
    public InputStream get(MessageRef ref) {
        try {
            return client.getObject(GetObjectArgs.builder().bucket(bucket).object(ref.blobKey()).build());
        } catch (Exception e) {
            throw failure("cannot read " + ref.blobKey(), e);
        }
    }

    @Override
    public InputStream getRange(MessageRef ref, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must be >= 0");
        }
        if (length == 0 || offset >= ref.size()) {
            return InputStream.nullInputStream();
        }
        try {
            return client.getObject(GetObjectArgs.builder().bucket(bucket).object(ref.blobKey())
                    .offset(offset).length(Math.min(length, ref.size() - offset)).build());
        } catch (Exception e) {
            throw failure("cannot read " + ref.blobKey(), e);
        }
    }

    @Override
    public Optional<BlobStat> stat(String key) {
        try {
            StatObjectResponse r = client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
            return Optional.of(new BlobStat(key, r.size()));
        } catch (ErrorResponseException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw failure("cannot stat " + key, e);
        } catch (Exception e) {
            throw failure("cannot stat " + key, e);
        }
    }

    @Override
    public boolean exists(MessageRef ref) {
        return stat(ref.blobKey()).isPresent();
    }

    @Override
    public void delete(MessageRef ref) {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(ref.blobKey()).build());
        } catch (Exception e) {
            throw failure("cannot delete " + ref.blobKey(), e);
        }
    }

    private static boolean isNotFound(ErrorResponseException e) {
        String code = e.errorResponse().code();
        return "NoSuchKey".equals(code) || "NoSuchObject".equals(code) || "NotFound".equals(code);
    }

    private static BlobStoreException failure(String what, Exception e) {
        if (e instanceof ErrorResponseException er) {
            String code = er.errorResponse().code();
            boolean permanent = isNotFound(er) || "NoSuchBucket".equals(code) || "AccessDenied".equals(code)
                    || "SignatureDoesNotMatch".equals(code) || "InvalidAccessKeyId".equals(code);
            return new BlobStoreException(what + ": " + code, !permanent, e);
        }
        return new BlobStoreException(what + ": " + e.getClass().getSimpleName(), true, e);
    }
}
