package mail.message.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import mail.message.dkim.DkimResult.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Signatures and key records that are broken, hostile or out of date: each gets its RFC 8601 result and reason. */
class MalformedSignatureTest {
    private static final String D = "example.test";
    private static final TestKeys.Generated ED = TestKeys.ed25519(D, "ed1");
    private static final Instant NOW = Instant.parse("2026-11-29T09:00:00Z");
    private static final String MESSAGE = "From: alice@example.test\r\nTo: bob@remote.example\r\nSubject: hi\r\n\r\nbody\r\n";
    private static final String GOOD;

    static {
        try {
            GOOD = new DkimSigner(SigningPolicy.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC))
                    .sign(new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.US_ASCII)), ED.signing()) + MESSAGE;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DkimResult verify(String message, TestKeys.MapLookup zone) throws IOException {
        List<DkimResult> r = new DkimVerifier(zone, DkimVerifier.Limits.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC))
                .verify(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1))).results();
        assertThat(r).hasSize(1);
        return r.get(0);
    }

    private static DkimResult verify(String message) throws IOException {
        return verify(message, new TestKeys.MapLookup().put(ED));
    }

    /** The signed message with its DKIM-Signature field replaced by one made of these tags (b= kept valid base64). */
    private static String withField(String tags) {
        return "DKIM-Signature: " + tags + "\r\n" + MESSAGE;
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "a=ed25519-sha256; d=example.test; s=ed1; h=from; bh=AAAA; b=AAAA | missing required tag v=",
        "v=1; d=example.test; s=ed1; h=from; bh=AAAA; b=AAAA | missing required tag a=",
        "v=1; a=ed25519-sha256; d=example.test; s=ed1; h=from; bh=AAAA | missing required tag b=",
        "v=2; a=ed25519-sha256; d=example.test; s=ed1; h=from; bh=AAAA; b=AAAA | incompatible version v=2",
        "v=1; a=rsa-sha1; d=example.test; s=ed1; h=from; bh=AAAA; b=AAAA | rsa-sha1 is not accepted (RFC 8301)",
        "v=1; a=rsa-md5; d=example.test; s=ed1; h=from; bh=AAAA; b=AAAA | unsupported algorithm a=rsa-md5",
        "v=1; a=ed25519-sha256; c=relaxed/fancy; d=example.test; s=ed1; h=from; bh=AAAA; b=AAAA | unsupported canonicalization c=relaxed/fancy",
        "v=1; a=ed25519-sha256; d=example.test; s=ed1; h=to:subject; bh=AAAA; b=AAAA | From is not signed (h= lacks from)",
        "v=1; a=ed25519-sha256; d=example.test; s=ed1; h=from::to; bh=AAAA; b=AAAA | h= has an empty or invalid header name",
        "v=1; a=ed25519-sha256; d=example.test; i=@evil.example; s=ed1; h=from; bh=AAAA; b=AAAA | i= domain evil.example is not d= or a subdomain of it",
        "v=1; a=ed25519-sha256; d=example.test; i=alice; s=ed1; h=from; bh=AAAA; b=AAAA | i= has no @",
        "v=1; a=ed25519-sha256; d=exa mple.test; s=ed1; h=from; bh=AAAA; b=AAAA | d= is not a domain name",
        "v=1; a=ed25519-sha256; d=example.test; s=ed1; h=from; bh=AAAA; b=AA*A | b= is not base64",
        "v=1; a=ed25519-sha256; d=example.test; s=ed1; h=from; bh=AAAA; b= | b= is empty",
        "v=1; a=ed25519-sha256; d=example.test; s=ed1; h=from; bh=AAAA; b=AAAA; l=-5 | l= is not a number",
        "v=1; a=ed25519-sha256; d=example.test; s=ed1; h=from; bh=AAAA; b=AAAA; t=200; x=100 | x= is before t=",
        "v=1; a=ed25519-sha256; d=example.test; s=ed1; q=http/well-known; h=from; bh=AAAA; b=AAAA | q= offers no dns/txt",
        "v=1; a=ed25519-sha256; a=rsa-sha256; d=example.test; s=ed1; h=from; bh=AAAA; b=AAAA | duplicate tag a=",
        "v=1; a=ed25519-sha256; d=example.test; s=ed1; h=from; bh=AAAA; b=AAAA; garbage | tag without '=': garbage",
        "v=1;; a=ed25519-sha256; d=example.test; s=ed1; h=from; bh=AAAA; b=AAAA | empty tag between ';'",
        "v=1; 9a=x; a=ed25519-sha256; d=example.test; s=ed1; h=from; bh=AAAA; b=AAAA | invalid tag name '9a'",
        "'' | empty tag list",
    })
    void malformedTagsArePermerrorWithoutAKeyLookup(String tags, String reason) throws IOException {
        TestKeys.MapLookup zone = new TestKeys.MapLookup().put(ED);
        DkimResult r = verify(withField(tags), zone);
        assertThat(r.status()).isEqualTo(Status.PERMERROR);
        assertThat(r.reason()).isEqualTo(reason);
        assertThat(zone.queries).isZero();
        assertThat(r.authResultsClause()).startsWith("dkim=permerror reason=\"");
    }

    @Test
    void eightBitOctetsInATagValueArePermerror() throws IOException {
        DkimResult r = verify(withField("v=1; a=ed25519-sha256; d=example.test; s=ed1; h=from; bh=AAAA; b=AAAA; z=\u00e9"));
        assertThat(r.status()).isEqualTo(Status.PERMERROR);
        assertThat(r.reason()).isEqualTo("invalid character in the value of z=");
    }

    @Test
    void aPermerrorStillNamesTheSignatureWhenItCan() throws IOException {
        DkimResult r = verify(withField("v=1; a=rsa-sha1; d=Example.TEST; s=sel; h=from; bh=AAAA; b=abcdefghijkl"));
        assertThat(r.domain()).isEqualTo("example.test");
        assertThat(r.selector()).isEqualTo("sel");
        assertThat(r.authResultsClause()).isEqualTo("dkim=permerror reason=\"rsa-sha1 is not accepted (RFC 8301)\" "
                + "header.d=example.test header.s=sel header.i=@Example.TEST header.a=rsa-sha1 header.b=\"abcdefgh\"");
    }

    @Test
    void keyLookupOutcomes() throws IOException {
        DkimResult temp = verify(GOOD, new TestKeys.MapLookup().put("ed1", D, (String[]) null));
        assertThat(temp.status()).isEqualTo(Status.TEMPERROR);
        assertThat(temp.reason()).isEqualTo("key lookup of ed1._domainkey.example.test failed: SERVFAIL from the test resolver");

        DkimResult none = verify(GOOD, new TestKeys.MapLookup());
        assertThat(none.status()).isEqualTo(Status.PERMERROR);
        assertThat(none.reason()).isEqualTo("no key record at ed1._domainkey.example.test");

        DkimKeyLookup broken = (s, d) -> {
            throw new IllegalStateException("resolver bug");
        };
        DkimResult thrown = new DkimVerifier(broken, DkimVerifier.Limits.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC))
                .verify(new ByteArrayInputStream(GOOD.getBytes(StandardCharsets.US_ASCII))).results().get(0);
        assertThat(thrown.status()).isEqualTo(Status.TEMPERROR);
        assertThat(thrown.reason()).isEqualTo("key lookup failed: IllegalStateException");
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "v=DKIM2; k=ed25519; p=KEY | PERMERROR | malformed key record at ed1._domainkey.example.test: key record v=DKIM2 is not DKIM1",
        "v=DKIM1; k=ed25519 | PERMERROR | malformed key record at ed1._domainkey.example.test: key record has no p=",
        "v=DKIM1; k=dsa; p=KEY | PERMERROR | malformed key record at ed1._domainkey.example.test: key record k=dsa is not a known key type",
        "v=DKIM1; k=ed25519; p= | PERMERROR | key revoked (empty p=) at ed1._domainkey.example.test",
        "v=DKIM1; k=rsa; p=KEY | PERMERROR | key type k=rsa does not match a=ed25519-sha256",
        "v=DKIM1; k=ed25519; h=sha1; p=KEY | PERMERROR | key record h= does not allow sha256",
        "v=DKIM1; k=ed25519; s=tlsrpt; p=KEY | PERMERROR | key record s= is not for email",
        "v=DKIM1; k=ed25519; p=AAAA | PERMERROR | key record p= is not a usable ed25519 key: an ed25519 p= must be 32 octets, not 3",
        "v=DKIM1; k=ed25519; t=y; p=KEY | PASS | key is in testing mode (t=y)",
        "v=DKIM1; k=ed25519; h=sha256:sha1; t=s; s=email; p=KEY | PASS | ",
    })
    void keyRecordProblems(String record, Status status, String reason) throws IOException {
        String key = ED.txt().substring(ED.txt().indexOf("p=") + 2);
        DkimResult r = verify(GOOD, new TestKeys.MapLookup().put("ed1", D, record.replace("KEY", key)));
        assertThat(r.status()).as(r.reason()).isEqualTo(status);
        assertThat(r.reason()).isEqualTo(reason);
        assertThat(r.testing()).isEqualTo(record.contains("t=y"));
    }

    @Test
    void aBrokenRecordNextToAGoodOneIsSkipped() throws IOException {
        DkimResult r = verify(GOOD, new TestKeys.MapLookup().put("ed1", D, "not a key record", ED.txt()));
        assertThat(r.status()).isEqualTo(Status.PASS);
    }

    @Test
    void strictKeysRefuseASubdomainIdentity() throws IOException {
        String signed = SignVerifyTest.signWithTags(MESSAGE, Map.of("i", "alice@mail.example.test"), ED.signing());
        String key = ED.txt().substring(ED.txt().indexOf("p=") + 2);
        assertThat(verify(signed).status()).isEqualTo(Status.PASS);
        DkimResult strict = verify(signed, new TestKeys.MapLookup().put("ed1", D, "v=DKIM1; k=ed25519; t=s; p=" + key));
        assertThat(strict.status()).isEqualTo(Status.PERMERROR);
        assertThat(strict.reason()).isEqualTo("key record t=s requires i= in exactly d=");
    }

    @Test
    void rsaKeysShorterThan1024BitsFail() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(512);
        KeyPair small = g.generateKeyPair();
        String signed = SignVerifyTest.signWithTags(MESSAGE, Map.of(), DkimAlgorithm.RSA_SHA256, small.getPrivate(), D,
                "small");
        DkimResult r = verify(signed, new TestKeys.MapLookup().put("small", D,
                "v=DKIM1; p=" + Base64.getEncoder().encodeToString(small.getPublic().getEncoded())));
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.reason()).isEqualTo("key of 512 bits is shorter than 1024 (RFC 8301)");
        assertThat(r.keyBits()).isEqualTo(512);
    }

    @Test
    void aKeyPublishedAsBarePkcs1IsReadToo() throws Exception {
        // the RFC 8463 RSA record's key, re-published as the RSAPublicKey inside its SubjectPublicKeyInfo
        String spki = TestKeys.rfc8463().get("test._domainkey.football.example.com");
        byte[] der = Base64.getDecoder().decode(spki.substring(spki.indexOf("p=") + 2));
        byte[] pkcs1 = java.util.Arrays.copyOfRange(der, 22, der.length);
        KeyRecord r = KeyRecord.parse("k=rsa; p=" + Base64.getEncoder().encodeToString(pkcs1));
        assertThat(KeyRecord.bits(r.publicKey())).isEqualTo(1024);
        assertThat(r.publicKey().getEncoded()).isEqualTo(der);
    }

    @Test
    void signaturesBeyondTheLimitAreNeutralAndCostNoLookup() throws IOException {
        StringBuilder m = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            m.append(GOOD, 0, GOOD.indexOf("From:"));
        }
        m.append(MESSAGE);
        TestKeys.MapLookup zone = new TestKeys.MapLookup().put(ED);
        List<DkimResult> r = new DkimVerifier(zone, new DkimVerifier.Limits(1 << 20, 8), Clock.fixed(NOW, ZoneOffset.UTC))
                .verify(new ByteArrayInputStream(m.toString().getBytes(StandardCharsets.US_ASCII))).results();
        assertThat(r).hasSize(10);
        assertThat(r.subList(0, 8)).extracting(DkimResult::status).containsOnly(Status.PASS);
        assertThat(r.subList(8, 10)).extracting(DkimResult::status).containsOnly(Status.NEUTRAL);
        assertThat(r.get(9).reason()).isEqualTo("not evaluated: more than 8 signatures");
        assertThat(zone.queries).isEqualTo(8);
    }

    @Test
    void aMessageWithoutSignatureIsNone() throws IOException {
        DkimVerification v = new DkimVerifier(new TestKeys.MapLookup())
                .verify(new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.US_ASCII)));
        assertThat(v.results()).isEmpty();
        assertThat(v.authResultsClauses()).isEqualTo("dkim=none");
    }

    @Test
    void aBadSignatureNextToAGoodOneDoesNotSpoilIt() throws IOException {
        String mixed = "DKIM-Signature: v=1; a=rsa-sha1; d=example.test; s=x; h=from; bh=AAAA; b=AAAA\r\n" + GOOD;
        List<DkimResult> r = new DkimVerifier(new TestKeys.MapLookup().put(ED), DkimVerifier.Limits.DEFAULTS,
                Clock.fixed(NOW, ZoneOffset.UTC)).verify(new ByteArrayInputStream(mixed.getBytes(StandardCharsets.US_ASCII)))
                .results();
        assertThat(r).extracting(DkimResult::status).containsExactly(Status.PERMERROR, Status.PASS);
    }

    @Test
    void aHostileHeaderListIsRefusedBeforeAnyWork() throws IOException {
        String h = "from" + ":x-a".repeat(SignatureTags.MAX_SIGNED_HEADERS);
        TestKeys.MapLookup zone = new TestKeys.MapLookup().put(ED);
        DkimResult r = verify(withField("v=1; a=ed25519-sha256; d=example.test; s=ed1; h=" + h + "; bh=AAAA; b=AAAA"), zone);
        assertThat(r.status()).isEqualTo(Status.PERMERROR);
        assertThat(r.reason()).isEqualTo("h= lists more than 512 header fields");
        assertThat(zone.queries).isZero();
    }

    @Test
    void rsaKeysLongerThan8192BitsArePermerror() throws Exception {
        // only the public half is needed: the key is refused before any signature check
        java.math.BigInteger n = new java.math.BigInteger(8400, new java.util.Random(7)).setBit(8399).setBit(0);
        byte[] spki = java.security.KeyFactory.getInstance("RSA").generatePublic(
                new java.security.spec.RSAPublicKeySpec(n, java.math.BigInteger.valueOf(65537))).getEncoded();
        String signed = SignVerifyTest.signWithTags(MESSAGE, Map.of(), TestKeys.rsa(D, "huge", 1024).signing());
        DkimResult r = verify(signed, new TestKeys.MapLookup().put("huge", D,
                "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(spki)));
        assertThat(r.status()).isEqualTo(Status.PERMERROR);
        assertThat(r.reason()).isEqualTo("key of 8400 bits is longer than 8192");
    }
}
