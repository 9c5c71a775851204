package mail.devinfra;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobApiMetadata;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * S3Proxy with its filesystem backend: an S3-compatible store on loopback that the MinIO client talks to
 * exactly as it talks to MinIO. Args: baseDir port accessKey secretKey.
 */
public final class S3Main {
    private S3Main() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String accessKey = args[2];
        String secretKey = args[3];
        ParentWatch.exitWhenGone(ParentWatch.fromProperty());
        Files.createDirectories(base);
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", base.toString());
        BlobStoreContext context = ContextBuilder.newBuilder(new FilesystemNio2BlobApiMetadata())
                .credentials("local", "local")
                .overrides(props)
                .build(BlobStoreContext.class);
        BlobStore store = context.getBlobStore();
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            if ("FAILED".equals(proxy.getState())) {
                System.err.println("FATAL s3: S3Proxy failed to start on port " + port);
                System.exit(3);
            }
            Thread.sleep(20);
        }
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                proxy.stop();
            } catch (Exception ignored) {
                // stopping anyway
            }
            context.close();
            done.countDown();
        }));
        System.out.println("s3 listening on 127.0.0.1:" + port);
        done.await();
    }
}
