package mail.protocol.net;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509KeyManager;

/**
 * The server side of TLS for a listener, built once when it starts. Vert.x otherwise builds its SSL context lazily at
 * the first handshake, on the event loop: on a fresh, busy JVM that first STARTTLS took seconds (JSSE's start-up
 * with it) and a client gave up and went on in clear text. Every connection, STARTTLS or implicit TLS, gets an
 * engine of this one context; a certificate that cannot serve fails the listener's start instead of a client's
 * handshake.
 */
final class ServerTls extends JdkSSLEngineOptions {
    private static final Set<String> KEY_TYPES = Set.of("RSA", "EC", "EdDSA", "Ed25519", "Ed448");

    private final SslContext context;

    private ServerTls(SslContext context) {
        this.context = context;
    }

    static ServerTls build(KeyManagerFactory keys) {
        requireServerKey(keys);
        SslContext context;
        try {
            // the factory Vert.x would use, set as Vert.x sets it for a server without ALPN or client certificates
            context = new JdkSSLEngineOptions().sslContextFactory().forClient(false).useAlpn(false)
                    .clientAuth(ClientAuth.NONE).keyMananagerFactory(keys).enabledCipherSuites(Set.of()).create();
        } catch (SSLException | RuntimeException e) {
            throw new IllegalStateException("cannot build the TLS context: " + e.getMessage(), e);
        }
        // one engine now, so that the engine's own set-up (cipher suites, protocols) is done before any client comes
        SSLEngine warm = context.newEngine(UnpooledByteBufAllocator.DEFAULT);
        warm.closeOutbound();
        return new ServerTls(context);
    }

    private static void requireServerKey(KeyManagerFactory keys) {
        KeyManager[] managers;
        try {
            managers = keys.getKeyManagers();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("no server certificate and key: the key manager is not initialised", e);
        }
        for (KeyManager m : managers) {
            if (m instanceof X509KeyManager x) {
                for (String type : KEY_TYPES) {
                    String[] aliases = x.getServerAliases(type, null);
                    if (aliases != null && aliases.length > 0) {
                        return;
                    }
                }
            }
        }
        throw new IllegalStateException("no server certificate and key in the key material");
    }

    SslContext context() {
        return context;
    }

    @Override
    public SslContextFactory sslContextFactory() {
        return () -> context;
    }

    @Override
    public JdkSSLEngineOptions copy() {
        return new ServerTls(context);
    }
}
