package mail.directory.autoconfig;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ClientConfigDocumentsTest {

    private static final ClientSettings S = new ClientSettings("example.test", "\"o'brien&<co>\"@example.test",
            "mail.example.test", 993, 143, 995, 110, 465, 587);

    @Test
    void addressesWithXmlSpecialCharactersAreEscapedInEveryFormat() throws Exception {
        for (String xml : new String[]{ClientConfigDocuments.autodiscover(S), ClientConfigDocuments.thunderbird(S)}) {
            Document d = Xml.parse(xml);
            assertThat(d.getDocumentElement()).isNotNull();
        }
        String autodiscover = ClientConfigDocuments.autodiscover(S);
        assertThat(Xml.parse(autodiscover).getElementsByTagNameNS("*", "LoginName").item(0).getTextContent())
                .isEqualTo(S.address());
        assertThat(ClientConfigDocuments.mobileconfig(S)).contains("&lt;co&gt;").doesNotContain("<co>");
    }

    @Test
    void theParserRefusesDoctypes() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Xml.parse(
                "<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>")).isInstanceOf(Exception.class);
    }
}
