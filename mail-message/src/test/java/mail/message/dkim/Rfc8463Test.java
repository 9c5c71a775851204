package mail.message.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The published example of RFC 8463 Appendix A: one message, an Ed25519 and an RSA signature, both keys. */
class Rfc8463Test {
    private static final byte[] SIGNED = TestKeys.resource("rfc8463-signed.eml");
    private static final Map<String, String> KEYS = TestKeys.rfc8463();

    private static TestKeys.MapLookup zone() {
        return new TestKeys.MapLookup()
                .put("brisbane", "football.example.com", KEYS.get("brisbane._domainkey.football.example.com"))
                .put("test", "football.example.com", KEYS.get("test._domainkey.football.example.com"));
    }

    @Test
    void bothPublishedSignaturesVerify() throws Exception {
        DkimVerification v = new DkimVerifier(zone()).verify(new ByteArrayInputStream(SIGNED));

        assertThat(v.results()).hasSize(2);
        DkimResult ed = v.results().get(0);
        DkimResult rsa = v.results().get(1);
        assertThat(ed.status()).as(ed.reason()).isEqualTo(DkimResult.Status.PASS);
        assertThat(ed.algorithm()).isEqualTo("ed25519-sha256");
        assertThat(ed.selector()).isEqualTo("brisbane");
        assertThat(ed.keyBits()).isEqualTo(256);
        assertThat(rsa.status()).as(rsa.reason()).isEqualTo(DkimResult.Status.PASS);
        assertThat(rsa.algorithm()).isEqualTo("rsa-sha256");
        assertThat(rsa.keyBits()).isEqualTo(1024);
        assertThat(v.authResultsClauses()).contains("dkim=pass (256-bit key) header.d=football.example.com "
                + "header.s=brisbane header.i=@football.example.com header.a=ed25519-sha256 header.b=\"/gCrinpc\"");
    }

    @Test
    void bodyHashIsReproduced() {
        BodyDigest d = new BodyDigest(-1);
        BodyCanonicalizer c = new BodyCanonicalizer(Canonicalization.RELAXED, List.of(d));
        byte[] body = "Hi.\r\n\r\nWe lost the game.  Are you hungry yet?\r\n\r\nJoe.\r\n".getBytes(StandardCharsets.US_ASCII);
        c.accept(body, 0, body.length);
        c.finish();
        assertThat(Base64.getEncoder().encodeToString(d.digest())).isEqualTo("2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=");
    }

    /** Ed25519 and RSASSA-PKCS1-v1_5 are deterministic: our signing of the same input gives the RFC's octets. */
    @Test
    void bothSignaturesAreReproducedWithThePublishedPrivateKeys() throws Exception {
        MessageReader reader = new MessageReader(new ByteArrayInputStream(SIGNED));
        List<HeaderField> headers = reader.readHeaders(64 * 1024);
        List<String> h = List.of("from", "to", "subject", "date", "message-id", "from", "subject", "date");
        DkimSigningKey ed = DkimSigningKey.fromPkcs8("brisbane", "football.example.com", "ed25519",
                TestKeys.rfc8463Ed25519Pkcs8());
        DkimSigningKey rsa = DkimSigningKey.fromPkcs8("test", "football.example.com", "rsa", TestKeys.rfc8463RsaPkcs8());

        for (int i = 0; i < 2; i++) {
            HeaderField sig = headers.get(i);
            DkimSigningKey key = i == 0 ? ed : rsa;
            byte[] data = HeaderHash.input(headers.subList(2, headers.size()), h, TagList.withoutSignature(sig.raw()),
                    Canonicalization.RELAXED);
            String expected = TagList.compact(TagList.parse(sig.value()).get("b"));
            assertThat(Base64.getEncoder().encodeToString(Crypto.sign(key.algorithm(), key.privateKey(), data)))
                    .as(key.toString()).isEqualTo(expected);
        }
    }

    /** The RFC's keys in our signer: the result verifies against the RFC's published records. */
    @Test
    void ourSignerWithTheRfcKeysVerifiesAgainstTheRfcRecords() throws Exception {
        byte[] unsigned = new String(SIGNED, StandardCharsets.ISO_8859_1)
                .substring(new String(SIGNED, StandardCharsets.ISO_8859_1).indexOf("From: "))
                .getBytes(StandardCharsets.ISO_8859_1);
        Clock june2018 = Clock.fixed(Instant.ofEpochSecond(1528637909), ZoneOffset.UTC);
        String fields = new DkimSigner(SigningPolicy.DEFAULTS, june2018).sign(new ByteArrayInputStream(unsigned), List.of(
                DkimSigningKey.fromPkcs8("brisbane", "football.example.com", "ed25519", TestKeys.rfc8463Ed25519Pkcs8()),
                DkimSigningKey.fromPkcs8("test", "football.example.com", "rsa-sha256", TestKeys.rfc8463RsaPkcs8())));

        assertThat(fields).contains("bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;").contains("t=1528637909;");
        byte[] signed = (fields + new String(unsigned, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
        DkimVerification v = new DkimVerifier(zone()).verify(new ByteArrayInputStream(signed));
        assertThat(v.results()).extracting(DkimResult::status).containsExactly(DkimResult.Status.PASS, DkimResult.Status.PASS);
    }
}
