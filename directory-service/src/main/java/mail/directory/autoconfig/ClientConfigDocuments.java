package mail.directory.autoconfig;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The three client autoconfiguration formats: Thunderbird's clientConfig v1.1, Outlook's POX autodiscover response
 * (schema 2006a) and an unsigned Apple configuration profile. Implicit TLS is offered first (RFC 8314), STARTTLS as
 * the alternative; the user name is always the full address.
 */
public final class ClientConfigDocuments {
    static final String AUTODISCOVER_RESPONSE_NS = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
    static final String OUTLOOK_RESPONSE_NS = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";

    private ClientConfigDocuments() {
    }

    public static String thunderbird(ClientSettings s) {
        return Xml.write(w -> {
            w.writeStartElement("clientConfig");
            w.writeAttribute("version", "1.1");
            w.writeStartElement("emailProvider");
            w.writeAttribute("id", s.domain());
            Xml.element(w, "domain", s.domain());
            Xml.element(w, "displayName", "Mail for " + s.domain());
            Xml.element(w, "displayShortName", s.domain());
            server(w, "incomingServer", "imap", s.host(), s.imaps(), "SSL");
            server(w, "incomingServer", "imap", s.host(), s.imap(), "STARTTLS");
            server(w, "incomingServer", "pop3", s.host(), s.pop3s(), "SSL");
            server(w, "incomingServer", "pop3", s.host(), s.pop3(), "STARTTLS");
            server(w, "outgoingServer", "smtp", s.host(), s.submissions(), "SSL");
            server(w, "outgoingServer", "smtp", s.host(), s.submission(), "STARTTLS");
            w.writeEndElement();
            w.writeEndElement();
        });
    }

    private static void server(XMLStreamWriter w, String element, String type, String host, int port, String socket)
            throws XMLStreamException {
        w.writeStartElement(element);
        w.writeAttribute("type", type);
        Xml.element(w, "hostname", host);
        Xml.element(w, "port", Integer.toString(port));
        Xml.element(w, "socketType", socket);
        Xml.element(w, "authentication", "password-cleartext");
        Xml.element(w, "username", "%EMAILADDRESS%");
        w.writeEndElement();
    }

    public static String autodiscover(ClientSettings s) {
        return Xml.write(w -> {
            w.writeStartElement("Autodiscover");
            w.writeDefaultNamespace(AUTODISCOVER_RESPONSE_NS);
            w.writeStartElement("Response");
            w.writeDefaultNamespace(OUTLOOK_RESPONSE_NS);
            w.writeStartElement("Account");
            Xml.element(w, "AccountType", "email");
            Xml.element(w, "Action", "settings");
            protocol(w, "IMAP", s.host(), s.imaps(), s.address());
            protocol(w, "POP3", s.host(), s.pop3s(), s.address());
            protocol(w, "SMTP", s.host(), s.submissions(), s.address());
            w.writeEndElement();
            w.writeEndElement();
            w.writeEndElement();
        });
    }

    private static void protocol(XMLStreamWriter w, String type, String host, int port, String login)
            throws XMLStreamException {
        w.writeStartElement("Protocol");
        Xml.element(w, "Type", type);
        Xml.element(w, "Server", host);
        Xml.element(w, "Port", Integer.toString(port));
        Xml.element(w, "DomainRequired", "off");
        Xml.element(w, "LoginName", login);
        Xml.element(w, "SPA", "off");
        Xml.element(w, "SSL", "on");
        Xml.element(w, "AuthRequired", "on");
        w.writeEndElement();
    }

    /** Unsigned: iOS and macOS show it as "not verified", which is expected for a profile from one's own server. */
    public static String mobileconfig(ClientSettings s) {
        // stable UUIDs per address, so installing the profile again replaces it instead of adding a second account
        String accountUuid = UUID.nameUUIDFromBytes(("mail-account:" + s.address()).getBytes(StandardCharsets.UTF_8)).toString();
        String profileUuid = UUID.nameUUIDFromBytes(("mail-profile:" + s.address()).getBytes(StandardCharsets.UTF_8)).toString();
        String reverse = reverse(s.domain());
        return Xml.write(w -> {
            w.writeDTD("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">");
            w.writeStartElement("plist");
            w.writeAttribute("version", "1.0");
            w.writeStartElement("dict");
            key(w, "PayloadContent");
            w.writeStartElement("array");
            w.writeStartElement("dict");
            string(w, "EmailAccountDescription", s.address());
            string(w, "EmailAccountName", s.address());
            string(w, "EmailAccountType", "EmailTypeIMAP");
            string(w, "EmailAddress", s.address());
            string(w, "IncomingMailServerAuthentication", "EmailAuthPassword");
            string(w, "IncomingMailServerHostName", s.host());
            integer(w, "IncomingMailServerPortNumber", s.imaps());
            bool(w, "IncomingMailServerUseSSL", true);
            string(w, "IncomingMailServerUsername", s.address());
            string(w, "OutgoingMailServerAuthentication", "EmailAuthPassword");
            string(w, "OutgoingMailServerHostName", s.host());
            integer(w, "OutgoingMailServerPortNumber", s.submissions());
            bool(w, "OutgoingMailServerUseSSL", true);
            string(w, "OutgoingMailServerUsername", s.address());
            bool(w, "OutgoingPasswordSameAsIncomingPassword", true);
            string(w, "PayloadDescription", "Mail account " + s.address());
            string(w, "PayloadDisplayName", s.address());
            string(w, "PayloadIdentifier", reverse + ".mail.account." + accountUuid);
            string(w, "PayloadType", "com.apple.mail.managed");
            string(w, "PayloadUUID", accountUuid);
            integer(w, "PayloadVersion", 1);
            w.writeEndElement();
            w.writeEndElement();
            string(w, "PayloadDescription", "Mail settings for " + s.address());
            string(w, "PayloadDisplayName", "Mail: " + s.address());
            string(w, "PayloadIdentifier", reverse + ".mail.profile." + profileUuid);
            bool(w, "PayloadRemovalDisallowed", false);
            string(w, "PayloadType", "Configuration");
            string(w, "PayloadUUID", profileUuid);
            integer(w, "PayloadVersion", 1);
            w.writeEndElement();
            w.writeEndElement();
        });
    }

    private static String reverse(String domain) {
        String[] labels = domain.split("\\.");
        StringBuilder b = new StringBuilder();
        for (int i = labels.length - 1; i >= 0; i--) {
            b.append(labels[i]).append(i > 0 ? "." : "");
        }
        return b.toString();
    }

    private static void key(XMLStreamWriter w, String k) throws XMLStreamException {
        Xml.element(w, "key", k);
    }

    private static void string(XMLStreamWriter w, String k, String v) throws XMLStreamException {
        key(w, k);
        Xml.element(w, "string", v);
    }

    private static void integer(XMLStreamWriter w, String k, int v) throws XMLStreamException {
        key(w, k);
        Xml.element(w, "integer", Integer.toString(v));
    }

    private static void bool(XMLStreamWriter w, String k, boolean v) throws XMLStreamException {
        key(w, k);
        w.writeEmptyElement(v ? "true" : "false");
    }
}
