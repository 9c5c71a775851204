package mail.directory;

import static mail.directory.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import mail.testsupport.InfraTestResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class DnsTest {

    private static List<Map<String, Object>> records(String domain) {
        return admin().get("/api/v1/domains/" + domain + "/dns").then().statusCode(200).extract().path("records");
    }

    private static List<Map<String, Object>> of(List<Map<String, Object>> records, String type, String namePrefix) {
        return records.stream().filter(r -> type.equals(r.get("type")) && ((String) r.get("name")).startsWith(namePrefix))
                .toList();
    }

    @Test
    void everyRecordAnAdministratorMustPublishIsListed() throws Exception {
        Api.domain("dns.test");
        List<Map<String, Object>> r = records("dns.test");

        assertThat(of(r, "MX", "dns.test.")).singleElement().extracting(x -> x.get("value")).isEqualTo("10 localhost.");
        assertThat(of(r, "TXT", "dns.test.")).singleElement().extracting(x -> x.get("value")).isEqualTo("v=spf1 mx -all");
        assertThat(of(r, "TXT", "_dmarc.dns.test.")).singleElement().extracting(x -> (String) x.get("value"))
                .asString().startsWith("v=DMARC1;");
        assertThat(of(r, "SRV", "_imaps._tcp.dns.test.")).singleElement().extracting(x -> x.get("value"))
                .isEqualTo("0 1 2993 localhost.");
        assertThat(of(r, "SRV", "_submissions._tcp.dns.test.")).singleElement().extracting(x -> x.get("value"))
                .isEqualTo("0 1 2465 localhost.");
        assertThat(of(r, "SRV", "_pop3s._tcp.dns.test.")).singleElement().extracting(x -> x.get("value"))
                .isEqualTo("0 1 2995 localhost.");
        assertThat(of(r, "CNAME", "autoconfig.dns.test.")).hasSize(1);
        assertThat(of(r, "CNAME", "autodiscover.dns.test.")).hasSize(1);

        // the DKIM records carry keys that parse: RSA-2048 as SubjectPublicKeyInfo, Ed25519 as the raw 32 bytes
        List<Map<String, Object>> dkim = r.stream().filter(x -> ((String) x.get("name")).contains("._domainkey.dns.test.")).toList();
        assertThat(dkim).hasSize(2);
        for (Map<String, Object> k : dkim) {
            String value = (String) k.get("value");
            String p = value.substring(value.indexOf("p=") + 2);
            byte[] key = Base64.getDecoder().decode(p);
            if (value.contains("k=rsa")) {
                RSAPublicKey rsa = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(key));
                assertThat(rsa.getModulus().bitLength()).isEqualTo(2048);
            } else {
                assertThat(value).contains("k=ed25519");
                assertThat(key).hasSize(32);
            }
        }
    }

    @Test
    void theZoneFormatSplitsLongTxtStringsAndListsEveryRecord() {
        Api.domain("zone.test");
        String zone = admin().get("/api/v1/domains/zone.test/dns?format=zone").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/plain")).extract().asString();
        assertThat(zone).contains("zone.test.\t3600\tIN\tMX\t10 localhost.");
        assertThat(zone).contains("_imaps._tcp.zone.test.\t3600\tIN\tSRV\t0 1 2993 localhost.");
        String rsaLine = zone.lines().filter(l -> l.contains("k=rsa")).findFirst().orElseThrow();
        // no character-string in a TXT record may exceed 255 octets
        for (String part : rsaLine.substring(rsaLine.indexOf('"')).split("\"\\s*\"")) {
            assertThat(part.replace("\"", "").replace("( ", "").replace(" )", "").length()).isLessThanOrEqualTo(255);
        }
        assertThat(zone.lines().filter(l -> !l.startsWith(";")).count()).isEqualTo(records("zone.test").size());
        admin().get("/api/v1/domains/zone.test/dns?format=bind9").then().statusCode(400);
    }

    @Test
    void rotationAddsANewGenerationAndKeepsThePreviousOnePublished() {
        Api.domain("rotate.test");
        List<String> before = admin().get("/api/v1/domains/rotate.test").then().extract().path("dkim.selector");
        admin().post("/api/v1/domains/rotate.test/dkim/rotate").then().statusCode(200);
        List<String> after = admin().get("/api/v1/domains/rotate.test").then().extract().path("dkim.selector");
        List<Boolean> active = admin().get("/api/v1/domains/rotate.test").then().extract().path("dkim.active");
        assertThat(after).hasSize(4).containsAll(before);
        assertThat(active).containsExactly(true, true, false, false);
        assertThat(records("rotate.test").stream().filter(x -> ((String) x.get("name")).contains("._domainkey.")).count())
                .isEqualTo(4);
        admin().post("/api/v1/domains/nowhere.test/dkim/rotate").then().statusCode(404);
    }
}
