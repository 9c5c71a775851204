package mail.backup.portability;

import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.security.Security;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslClientFactory;
import javax.security.sasl.SaslException;

/**
 * SASL OAUTHBEARER (RFC 7628) for Angus Mail, which brings XOAUTH2 but not this one: the client's first message
 * carries the user and the bearer token; a server that refuses answers with an error challenge, which the client
 * acknowledges with a single 0x01 before the server's NO.
 */
final class OAuthBearerSasl {
    static final String MECHANISM = "OAUTHBEARER";
    private static final String PROVIDER = "mailplatform-oauthbearer";

    private OAuthBearerSasl() {
    }

    static synchronized void install() {
        if (Security.getProvider(PROVIDER) == null) {
            Security.addProvider(new SaslProvider());
        }
    }

    private static final class SaslProvider extends Provider {
        SaslProvider() {
            super(PROVIDER, "1.0", "SASL OAUTHBEARER client");
            putService(new Service(this, "SaslClientFactory", MECHANISM, Factory.class.getName(), null, null) {
                @Override
                public Object newInstance(Object constructorParameter) {
                    return new Factory();
                }
            });
        }
    }

    static final class Factory implements SaslClientFactory {
        @Override
        public SaslClient createSaslClient(String[] mechanisms, String authorizationId, String protocol, String serverName,
                                           Map<String, ?> props, CallbackHandler cbh) {
            for (String m : mechanisms) {
                if (MECHANISM.equalsIgnoreCase(m)) {
                    return new Client(cbh);
                }
            }
            return null;
        }

        @Override
        public String[] getMechanismNames(Map<String, ?> props) {
            return new String[] {MECHANISM};
        }
    }

    private static final class Client implements SaslClient {
        private final CallbackHandler handler;
        private boolean sent;
        private boolean complete;

        Client(CallbackHandler handler) {
            this.handler = handler;
        }

        @Override
        public String getMechanismName() {
            return MECHANISM;
        }

        @Override
        public boolean hasInitialResponse() {
            return true;
        }

        @Override
        public byte[] evaluateChallenge(byte[] challenge) throws SaslException {
            if (sent) {
                // the server's error details; acknowledging them lets it send its NO
                complete = true;
                return new byte[] {1};
            }
            NameCallback name = new NameCallback("user");
            PasswordCallback token = new PasswordCallback("token", false);
            try {
                handler.handle(new Callback[] {name, token});
            } catch (Exception e) {
                throw new SaslException("no user or token for OAUTHBEARER", e);
            }
            sent = true;
            String user = name.getName().replace("=", "=3D").replace(",", "=2C");
            return ("n,a=" + user + ",\u0001auth=Bearer " + new String(token.getPassword()) + "\u0001\u0001")
                    .getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public boolean isComplete() {
            return complete;
        }

        @Override
        public byte[] unwrap(byte[] incoming, int offset, int len) {
            throw new IllegalStateException("OAUTHBEARER has no security layer");
        }

        @Override
        public byte[] wrap(byte[] outgoing, int offset, int len) {
            throw new IllegalStateException("OAUTHBEARER has no security layer");
        }

        @Override
        public Object getNegotiatedProperty(String propName) {
            return null;
        }

        @Override
        public void dispose() {
        }
    }
}
