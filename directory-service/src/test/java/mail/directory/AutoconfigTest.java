package mail.directory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import mail.testsupport.InfraTestResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** The documents are parsed back as the clients would read them, and their required elements checked. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class AutoconfigTest {

    private static boolean prepared;

    // not @BeforeAll: RestAssured points at the application only once a test method runs
    @BeforeEach
    void domain() {
        if (prepared) {
            return;
        }
        prepared = true;
        Api.admin().body(Map.of("name", "auto.test")).post("/api/v1/domains");
    }

    static Document parse(String xml, boolean allowDoctype) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        if (allowDoctype) {
            // the plist DOCTYPE names Apple's DTD; never fetch it
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } else {
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        }
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    private static String text(Element parent, String name) {
        NodeList l = parent.getElementsByTagNameNS("*", name);
        assertThat(l.getLength()).as(name).isGreaterThan(0);
        return l.item(0).getTextContent();
    }

    @Test
    void thunderbirdConfigOnBothPathsOffersImapPop3AndSmtpWithTls() throws Exception {
        for (String path : List.of("/mail/config-v1.1.xml", "/.well-known/autoconfig/mail/config-v1.1.xml")) {
            String xml = given().queryParam("emailaddress", "Someone@AUTO.test").get(path).then().statusCode(200)
                    .contentType(org.hamcrest.Matchers.startsWith("application/xml")).extract().asString();
            Document d = parse(xml, false);
            Element root = d.getDocumentElement();
            assertThat(root.getTagName()).isEqualTo("clientConfig");
            assertThat(root.getAttribute("version")).isEqualTo("1.1");
            Element provider = (Element) root.getElementsByTagName("emailProvider").item(0);
            assertThat(provider.getAttribute("id")).isEqualTo("auto.test");
            assertThat(text(provider, "domain")).isEqualTo("auto.test");
            assertThat(text(provider, "displayName")).isNotBlank();
            List<String> servers = new ArrayList<>();
            for (String kind : List.of("incomingServer", "outgoingServer")) {
                NodeList l = provider.getElementsByTagName(kind);
                for (int i = 0; i < l.getLength(); i++) {
                    Element s = (Element) l.item(i);
                    assertThat(text(s, "hostname")).isEqualTo("localhost");
                    assertThat(text(s, "authentication")).isEqualTo("password-cleartext");
                    assertThat(text(s, "username")).isEqualTo("%EMAILADDRESS%");
                    servers.add(s.getAttribute("type") + ":" + text(s, "port") + ":" + text(s, "socketType"));
                }
            }
            assertThat(servers).containsExactly("imap:2993:SSL", "imap:2143:STARTTLS", "pop3:2995:SSL",
                    "pop3:2110:STARTTLS", "smtp:2465:SSL", "smtp:2587:STARTTLS");
        }
    }

    @Test
    void thunderbirdWithoutAnAddressUsesTheAutoconfigHostName() throws Exception {
        String xml = given().header("Host", "autoconfig.auto.test").get("/mail/config-v1.1.xml").then().statusCode(200)
                .extract().asString();
        assertThat(parse(xml, false).getElementsByTagName("domain").item(0).getTextContent()).isEqualTo("auto.test");
    }

    @Test
    void unknownDomainsAndBadAddressesGetNoConfiguration() {
        given().queryParam("emailaddress", "x@unknown-domain.test").get("/mail/config-v1.1.xml").then().statusCode(404);
        given().queryParam("emailaddress", "not an address").get("/mail/config-v1.1.xml").then().statusCode(400);
        given().get("/apple/mail.mobileconfig").then().statusCode(400);
    }

    @Test
    void outlookAutodiscoverAnswersThePoxRequest() throws Exception {
        String request = """
                <?xml version="1.0" encoding="utf-8"?>
                <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
                  <Request>
                    <EMailAddress>carol@auto.test</EMailAddress>
                    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
                  </Request>
                </Autodiscover>""".strip();
        String xml = given().contentType("text/xml").body(request).post("/autodiscover/autodiscover.xml").then()
                .statusCode(200).extract().asString();
        Document d = parse(xml, false);
        Element root = d.getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("Autodiscover");
        assertThat(root.getNamespaceURI()).isEqualTo("http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006");
        Element response = (Element) root.getElementsByTagNameNS("*", "Response").item(0);
        assertThat(response.getNamespaceURI())
                .isEqualTo("http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a");
        Element account = (Element) response.getElementsByTagNameNS("*", "Account").item(0);
        assertThat(text(account, "AccountType")).isEqualTo("email");
        assertThat(text(account, "Action")).isEqualTo("settings");
        Map<String, String> protocols = new LinkedHashMap<>();
        NodeList l = account.getElementsByTagNameNS("*", "Protocol");
        for (int i = 0; i < l.getLength(); i++) {
            Element p = (Element) l.item(i);
            assertThat(text(p, "Server")).isEqualTo("localhost");
            assertThat(text(p, "LoginName")).isEqualTo("carol@auto.test");
            assertThat(text(p, "SSL")).isEqualTo("on");
            protocols.put(text(p, "Type"), text(p, "Port"));
        }
        assertThat(protocols).containsExactly(Map.entry("IMAP", "2993"), Map.entry("POP3", "2995"), Map.entry("SMTP", "2465"));
    }

    @Test
    void autodiscoverRefusesDtdsMalformedAndOversizedRequests() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Autodiscover><Request><EMailAddress>&x;</EMailAddress></Request></Autodiscover>";
        given().contentType("text/xml").body(xxe).post("/autodiscover/autodiscover.xml").then().statusCode(400)
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("root:")));
        given().contentType("text/xml").body("<Autodiscover><Request>").post("/autodiscover/autodiscover.xml").then()
                .statusCode(400);
        given().contentType("text/xml").body("<Autodiscover/>").post("/autodiscover/autodiscover.xml").then()
                .statusCode(400).body("field", org.hamcrest.Matchers.equalTo("EMailAddress"));
        given().contentType("text/xml").body("<a>" + "x".repeat(20_000) + "</a>").post("/autodiscover/autodiscover.xml")
                .then().statusCode(400);
    }

    @Test
    void appleProfileIsAPlistWithAnImapPayload() throws Exception {
        String xml = given().queryParam("emailaddress", "dan@auto.test").get("/apple/mail.mobileconfig").then()
                .statusCode(200).contentType("application/x-apple-aspen-config").extract().asString();
        Document d = parse(xml, true);
        assertThat(d.getDocumentElement().getTagName()).isEqualTo("plist");
        Element outer = (Element) d.getDocumentElement().getElementsByTagName("dict").item(0);
        Map<String, Node> top = dict(outer);
        assertThat(top.get("PayloadType").getTextContent()).isEqualTo("Configuration");
        assertThat(top.get("PayloadVersion").getTextContent()).isEqualTo("1");
        assertThat(top.get("PayloadUUID").getTextContent()).matches("[0-9a-f-]{36}");
        assertThat(top.get("PayloadIdentifier").getTextContent()).startsWith("test.auto.");
        Element payload = (Element) ((Element) top.get("PayloadContent")).getElementsByTagName("dict").item(0);
        Map<String, Node> mail = dict(payload);
        assertThat(mail.get("PayloadType").getTextContent()).isEqualTo("com.apple.mail.managed");
        assertThat(mail.get("EmailAccountType").getTextContent()).isEqualTo("EmailTypeIMAP");
        assertThat(mail.get("EmailAddress").getTextContent()).isEqualTo("dan@auto.test");
        assertThat(mail.get("IncomingMailServerHostName").getTextContent()).isEqualTo("localhost");
        assertThat(mail.get("IncomingMailServerPortNumber").getTextContent()).isEqualTo("2993");
        assertThat(mail.get("IncomingMailServerUseSSL").getNodeName()).isEqualTo("true");
        assertThat(mail.get("OutgoingMailServerPortNumber").getTextContent()).isEqualTo("2465");
        assertThat(mail.get("OutgoingMailServerUsername").getTextContent()).isEqualTo("dan@auto.test");
        // the same address gets the same UUIDs, so re-installing replaces the profile
        String again = given().queryParam("emailaddress", "dan@auto.test").get("/apple/mail.mobileconfig").then()
                .extract().asString();
        assertThat(again).isEqualTo(xml);
    }

    // a plist dict alternates <key> and value elements
    private static Map<String, Node> dict(Element dict) {
        Map<String, Node> m = new LinkedHashMap<>();
        String key = null;
        for (Node n = dict.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() != Node.ELEMENT_NODE) {
                continue;
            }
            if (key == null) {
                assertThat(n.getNodeName()).isEqualTo("key");
                key = n.getTextContent();
            } else {
                m.put(key, n);
                key = null;
            }
        }
        assertThat(key).as("dangling key").isNull();
        return m;
    }
}
