package mail.core.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Verifies bearer tokens locally against the realm's published keys (fetched once, refreshed on an unknown key id),
 * so a login with a token costs no round trip to Keycloak. Keycloak access tokens carry no audience for our
 * services, so the issuer, signature and lifetime are what is checked.
 */
public final class JwksTokenVerifier implements TokenVerifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private final JwtConsumer consumer;

    public JwksTokenVerifier(String realmUrl) {
        String base = KeycloakPasswordVerifier.stripSlash(realmUrl);
        HttpsJwks jwks = new HttpsJwks(base + "/protocol/openid-connect/certs");
        jwks.setDefaultCacheDuration(300);
        this.consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(30)
                .setRequireSubject()
                .setExpectedIssuer(base)
                .setSkipDefaultAudienceValidation()
                .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(jwks))
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
                        AlgorithmIdentifiers.RSA_PSS_USING_SHA256, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256))
                .build();
    }

    @Override
    public AuthResult verify(String bearerToken) {
        if (bearerToken == null || bearerToken.isBlank()) {
            return new AuthResult.Rejected("empty token");
        }
        if (bearerToken.length() > MAX_TOKEN_LENGTH) {
            return new AuthResult.Rejected("token too long");
        }
        try {
            var ctx = consumer.process(bearerToken);
            return KeycloakPasswordVerifier.fromClaims(JSON.readTree(ctx.getJwtClaims().toJson()));
        } catch (InvalidJwtException e) {
            if (causedByUnreachableKeys(e)) {
                throw new IdentityUnavailableException("cannot fetch the realm's signing keys", e);
            }
            return new AuthResult.Rejected(e.hasExpired() ? "token expired" : "invalid token");
        } catch (IOException e) {
            return new AuthResult.Rejected("invalid token claims");
        }
    }

    private static boolean causedByUnreachableKeys(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvableKeyException u && u.getCause() instanceof IOException) {
                return true;
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
