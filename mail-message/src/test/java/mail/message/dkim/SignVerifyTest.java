package mail.message.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mail.message.dkim.DkimResult.Status;
import org.junit.jupiter.api.Test;

/** Our signer and our verifier against each other, and against every way a signed message can be changed. */
class SignVerifyTest {
    private static final String D = "example.test";
    private static final TestKeys.Generated RSA = TestKeys.rsa(D, "rsa-20261129-a1b2c3", 2048);
    private static final TestKeys.Generated ED = TestKeys.ed25519(D, "ed-20261129-a1b2c3");
    private static final Instant NOW = Instant.parse("2026-11-29T09:00:00Z");
    private static final String MESSAGE = "From: Alice <alice@example.test>\r\n"
            + "To: Bob <bob@remote.example>\r\n"
            + "Subject: Lunch\r\n"
            + "Date: Sun, 29 Nov 2026 09:00:00 +0000\r\n"
            + "Message-ID: <m1@example.test>\r\n"
            + "List-Id: <team.example.test>\r\n"
            + "Received: from somewhere\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "\r\n"
            + "Shall we meet at noon?\r\n\r\nAlice\r\n";

    private static DkimSigner signer() {
        return new DkimSigner(SigningPolicy.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static DkimVerifier verifier(Instant at) {
        return new DkimVerifier(new TestKeys.MapLookup().put(RSA).put(ED), DkimVerifier.Limits.DEFAULTS,
                Clock.fixed(at, ZoneOffset.UTC));
    }

    private static String sign(String message, TestKeys.Generated... keys) throws IOException {
        List<DkimSigningKey> k = java.util.Arrays.stream(keys).map(TestKeys.Generated::signing).toList();
        return signer().sign(in(message), k) + message;
    }

    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static List<DkimResult> verify(String message) throws IOException {
        return verifier(NOW.plusSeconds(60)).verify(in(message)).results();
    }

    @Test
    void rsaRoundTrip() throws IOException {
        List<DkimResult> r = verify(sign(MESSAGE, RSA));
        assertThat(r).singleElement().satisfies(x -> {
            assertThat(x.status()).as(x.reason()).isEqualTo(Status.PASS);
            assertThat(x.keyBits()).isEqualTo(2048);
            assertThat(x.domain()).isEqualTo(D);
            assertThat(x.identity()).isEqualTo("@" + D);
            assertThat(x.lengthLimited()).isFalse();
        });
    }

    @Test
    void ed25519RoundTrip() throws IOException {
        assertThat(verify(sign(MESSAGE, ED))).singleElement().extracting(DkimResult::status).isEqualTo(Status.PASS);
    }

    @Test
    void bothKeysInOnePassGiveTwoFieldsThatEachVerify() throws IOException {
        String fields = signer().sign(in(MESSAGE), List.of(RSA.signing(), ED.signing()));
        assertThat(fields.split("DKIM-Signature:", -1)).hasSize(3);
        List<DkimResult> r = verify(fields + MESSAGE);
        assertThat(r).extracting(DkimResult::algorithm).containsExactly("rsa-sha256", "ed25519-sha256");
        assertThat(r).extracting(DkimResult::status).containsOnly(Status.PASS);
    }

    @Test
    void theFieldIsFoldedCrlfTerminatedAndCarriesTheExpectedTags() throws Exception {
        String field = new DkimSigner(SigningPolicy.DEFAULTS.withValidity(Duration.ofDays(7)),
                Clock.fixed(NOW, ZoneOffset.UTC)).sign(in(MESSAGE), RSA.signing());
        assertThat(field).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.test;")
                .endsWith("\r\n");
        String[] lines = field.substring(0, field.length() - 2).split("\r\n", -1);
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(78));
        assertThat(java.util.Arrays.copyOfRange(lines, 1, lines.length)).allSatisfy(l -> assertThat(l).startsWith(" "));
        Map<String, String> tags = TagList.parse(field.substring(field.indexOf(':') + 1));
        assertThat(tags.get("t")).isEqualTo(Long.toString(NOW.getEpochSecond()));
        assertThat(tags.get("x")).isEqualTo(Long.toString(NOW.plus(Duration.ofDays(7)).getEpochSecond()));
        // every present header once, the oversigned ones once more (absent Cc, Reply-To... listed once: "none")
        List<String> h = java.util.Arrays.stream(TagList.compact(tags.get("h")).split(":")).toList();
        assertThat(h).filteredOn("from"::equals).hasSize(2);
        assertThat(h).filteredOn("subject"::equals).hasSize(2);
        assertThat(h).filteredOn("reply-to"::equals).hasSize(1);
        assertThat(h).contains("list-id").doesNotContain("received");
        assertThat(Base64.getDecoder().decode(TagList.compact(tags.get("b")))).hasSize(256);
    }

    @Test
    void aChangedBodyFailsOnTheBodyHash() throws IOException {
        String signed = sign(MESSAGE, RSA, ED);
        assertThat(verify(signed.replace("at noon", "at one"))).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(Status.FAIL);
            assertThat(r.reason()).isEqualTo("body hash did not verify");
        });
    }

    @Test
    void whitespaceAndTrailingBlankLinesAreWhatRelaxedForgives() throws IOException {
        String signed = sign(MESSAGE, RSA, ED);
        String reformatted = signed.replace("Subject: Lunch", "Subject:   Lunch ").replace("Shall we", "Shall    we")
                + "\r\n\r\n";
        assertThat(verify(reformatted)).extracting(DkimResult::status).containsOnly(Status.PASS);
    }

    @Test
    void aChangedSignedHeaderFailsOnTheSignature() throws IOException {
        String signed = sign(MESSAGE, RSA, ED);
        assertThat(verify(signed.replace("Subject: Lunch", "Subject: Dinner"))).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(Status.FAIL);
            assertThat(r.reason()).isEqualTo("signature did not verify");
        });
    }

    @Test
    void anUnsignedHeaderMayChange() throws IOException {
        String signed = sign(MESSAGE, RSA);
        assertThat(verify(signed.replace("Received: from somewhere", "Received: from elsewhere")))
                .extracting(DkimResult::status).containsOnly(Status.PASS);
    }

    @Test
    void oversigningCatchesASecondFromAndAnAddedReplyTo() throws IOException {
        String signed = sign(MESSAGE, RSA);
        String secondFrom = signed.replace("Subject: Lunch\r\n", "Subject: Lunch\r\nFrom: Mallory <m@evil.example>\r\n");
        assertThat(verify(secondFrom)).extracting(DkimResult::status).containsOnly(Status.FAIL);
        String replyTo = signed.replace("Subject: Lunch\r\n", "Subject: Lunch\r\nReply-To: m@evil.example\r\n");
        assertThat(verify(replyTo)).extracting(DkimResult::status).containsOnly(Status.FAIL);
    }

    @Test
    void aMessageWithoutFromIsRefusedAndOneWithTwoFromsToo() {
        String noFrom = MESSAGE.replace("From: Alice <alice@example.test>\r\n", "");
        assertThatThrownBy(() -> signer().sign(in(noFrom), RSA.signing())).isInstanceOf(DkimMessageException.class)
                .hasMessageContaining("no From header field");
        String twoFroms = "From: x@example.test\r\n" + MESSAGE;
        assertThatThrownBy(() -> signer().sign(in(twoFroms), RSA.signing())).isInstanceOf(DkimMessageException.class)
                .hasMessageContaining("2 From header fields");
    }

    @Test
    void anOversizeHeaderSectionIsAClearErrorForSignerAndVerifier() {
        String huge = "X-Filler: " + "z".repeat(2000) + "\r\n";
        String message = MESSAGE.replace("Received:", huge.repeat(600) + "Received:");
        assertThatThrownBy(() -> signer().sign(in(message), RSA.signing())).isInstanceOf(DkimMessageException.class)
                .hasMessage("the header section is longer than 1048576 octets; refusing to read further");
        assertThatThrownBy(() -> verifier(NOW).verify(in(message))).isInstanceOf(DkimMessageException.class)
                .hasMessageContaining("header section is longer than 1048576 octets");
        // one endless line without any line break is refused the same way, without reading it all into memory
        String endless = "Subject: " + "q".repeat(3 * 1024 * 1024);
        assertThatThrownBy(() -> signer().sign(in(endless), RSA.signing())).isInstanceOf(DkimMessageException.class)
                .hasMessageContaining("longer than 1048576");
    }

    @Test
    void signingKeysAreCheckedWhenMade() {
        assertThatThrownBy(() -> DkimSigningKey.fromPkcs8("s", "example.test", "rsa", new byte[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a PKCS#8 rsa private key");
        assertThatThrownBy(() -> DkimSigningKey.fromPkcs8("s", "example.test", "dsa", new byte[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported DKIM algorithm");
        assertThatThrownBy(() -> new DkimSigningKey("example.test", "s", DkimAlgorithm.RSA_SHA256,
                ED.signing().privateKey())).hasMessageContaining("cannot sign rsa-sha256");
        assertThatThrownBy(() -> new DkimSigningKey("exa mple.test", "s", DkimAlgorithm.ED25519_SHA256,
                ED.signing().privateKey())).hasMessageContaining("not a valid (A-label) DNS name");
        assertThatThrownBy(() -> new DkimSigningKey("example.test", "s", DkimAlgorithm.RSA_SHA256,
                TestKeys.rsa(D, "small", 512).signing().privateKey())).hasMessageContaining("512 bits");
        assertThat(RSA.signing().toString()).doesNotContain(RSA.signing().privateKey().toString());
    }

    @Test
    void anExpiredSignatureFails() throws IOException {
        String signed = new DkimSigner(SigningPolicy.DEFAULTS.withValidity(Duration.ofHours(1)),
                Clock.fixed(NOW, ZoneOffset.UTC)).sign(in(MESSAGE), ED.signing()) + MESSAGE;
        assertThat(verifier(NOW.plusSeconds(3599)).verify(in(signed)).results()).extracting(DkimResult::status)
                .containsOnly(Status.PASS);
        DkimResult late = verifier(NOW.plusSeconds(3601)).verify(in(signed)).results().get(0);
        assertThat(late.status()).isEqualTo(Status.FAIL);
        assertThat(late.reason()).startsWith("signature expired at 2026-11-29T10:00:00Z");
    }

    @Test
    void theMessageMayUseBareLfAndStillVerify() throws IOException {
        String signed = sign(MESSAGE, RSA);
        assertThat(verify(signed.replace("\r\n", "\n"))).extracting(DkimResult::status).containsOnly(Status.PASS);
    }

    /** l= is legal but lets anyone append to the body; the pass is reported with what is unsigned. */
    @Test
    void aLengthLimitedSignatureIsFlagged() throws IOException {
        String body = "Shall we meet at noon?\r\n\r\nAlice\r\n";
        String signed = signWithTags(MESSAGE, Map.of("l", Integer.toString(body.length())), ED.signing());
        DkimResult r = verify(signed).get(0);
        assertThat(r.status()).as(r.reason()).isEqualTo(Status.PASS);
        assertThat(r.lengthLimited()).isTrue();
        assertThat(r.unsignedBodyOctets()).isZero();

        String added = "Click here: http://evil.example/\r\n";
        DkimResult appended = verify(signed + added).get(0);
        assertThat(appended.status()).isEqualTo(Status.PASS);
        assertThat(appended.unsignedBodyOctets()).isEqualTo(added.length());
        assertThat(appended.authResultsClause())
                .contains("(256-bit key; l=" + body.length() + ", " + added.length() + " body octets unsigned)");

        String shorter = signed.replace("Alice\r\n", "");
        assertThat(verify(shorter).get(0).reason()).contains("is longer than the canonical body");
    }

    /** A signature as another signer might make it: our layout and crypto with extra or different tags. */
    static String signWithTags(String message, Map<String, String> extra, DkimSigningKey key) throws IOException {
        return signWithTags(message, extra, key.algorithm(), key.privateKey(), key.domain(), key.selector());
    }

    static String signWithTags(String message, Map<String, String> extra, DkimAlgorithm algorithm,
                               java.security.PrivateKey privateKey, String domain, String selector) throws IOException {
        MessageReader reader = new MessageReader(in(message));
        List<HeaderField> headers = reader.readHeaders(1 << 20);
        String c = extra.getOrDefault("c", "relaxed/relaxed");
        BodyDigest body = new BodyDigest(extra.containsKey("l") ? Long.parseLong(extra.get("l")) : -1);
        BodyCanonicalizer canon = new BodyCanonicalizer(Canonicalization.parse(c.substring(c.indexOf('/') + 1)),
                List.of(body));
        reader.streamBody(canon);
        canon.finish();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("v", "1");
        tags.put("a", algorithm.tag());
        tags.put("c", c);
        tags.put("d", domain);
        tags.put("s", selector);
        tags.put("h", "from:to:subject");
        tags.put("bh", Base64.getEncoder().encodeToString(body.digest()));
        tags.putAll(extra);
        String unsigned = DkimSigner.layout(tags);
        List<String> h = java.util.Arrays.stream(tags.get("h").split(":")).toList();
        byte[] data = HeaderHash.input(headers, h, unsigned, Canonicalization.parse(c.substring(0, c.indexOf('/'))));
        return DkimSigner.appendSignature(unsigned,
                Base64.getEncoder().encodeToString(Crypto.sign(algorithm, privateKey, data))) + message;
    }

    @Test
    void simpleCanonicalizationOfOtherSignersIsVerifiedToo() throws IOException {
        String signed = signWithTags(MESSAGE, Map.of("c", "simple/simple"), RSA.signing());
        assertThat(verify(signed)).extracting(DkimResult::status).containsOnly(Status.PASS);
        // simple forgives nothing in the signed header
        assertThat(verify(signed.replace("Subject: Lunch", "Subject:  Lunch"))).extracting(DkimResult::status)
                .containsOnly(Status.FAIL);
    }

    @Test
    void onlyListFieldsWithPlainNamesAreSigned() throws Exception {
        String odd = MESSAGE.replace("List-Id:", "List-Odd;x=1: y\r\nList-Id:");
        String field = signer().sign(in(odd), ED.signing());
        String h = TagList.compact(TagList.parse(field.substring(field.indexOf(':') + 1)).get("h"));
        assertThat(h).contains("list-id").doesNotContain("list-odd");
        assertThat(verify(field + odd)).extracting(DkimResult::status).containsOnly(Status.PASS);
    }
}
