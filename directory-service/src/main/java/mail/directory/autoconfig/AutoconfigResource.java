package mail.directory.autoconfig;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import mail.core.address.EmailAddress;
import mail.directory.api.ApiException;
import mail.directory.api.Inputs;
import mail.directory.config.DirectoryConfig;
import mail.directory.domain.HostedDomains;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** Client autoconfiguration, unauthenticated as the clients expect; only hosted domains get an answer. */
@Path("/")
@PermitAll
@Tag(name = "autoconfig")
public class AutoconfigResource {
    static final int MAX_AUTODISCOVER_REQUEST = 16 * 1024;
    static final String MOBILECONFIG = "application/x-apple-aspen-config";

    private final DirectoryConfig config;
    private final HostedDomains hosted;

    public AutoconfigResource(DirectoryConfig config, HostedDomains hosted) {
        this.config = config;
        this.hosted = hosted;
    }

    @GET
    @Path("mail/config-v1.1.xml")
    @Produces(MediaType.APPLICATION_XML)
    public Response thunderbird(@QueryParam("emailaddress") String email, @HeaderParam("Host") String host) {
        return xml(ClientConfigDocuments.thunderbird(settings(email, host)));
    }

    @GET
    @Path(".well-known/autoconfig/mail/config-v1.1.xml")
    @Produces(MediaType.APPLICATION_XML)
    public Response thunderbirdWellKnown(@QueryParam("emailaddress") String email, @HeaderParam("Host") String host) {
        return thunderbird(email, host);
    }

    @POST
    @Path("autodiscover/autodiscover.xml")
    @Consumes({MediaType.TEXT_XML, MediaType.APPLICATION_XML, MediaType.WILDCARD})
    @Produces(MediaType.APPLICATION_XML)
    public Response autodiscover(String body) {
        if (body == null || body.length() > MAX_AUTODISCOVER_REQUEST) {
            throw ApiException.invalid("EMailAddress", "autodiscover request missing or larger than "
                    + MAX_AUTODISCOVER_REQUEST + " characters");
        }
        String email;
        try {
            Document d = Xml.parse(body);
            NodeList n = d.getElementsByTagNameNS("*", "EMailAddress");
            email = n.getLength() == 0 ? null : n.item(0).getTextContent().strip();
        } catch (Exception e) {
            throw ApiException.invalid("EMailAddress", "the autodiscover request is not well-formed XML (DTDs are refused)");
        }
        if (email == null || email.isEmpty()) {
            throw ApiException.invalid("EMailAddress", "the autodiscover request names no EMailAddress");
        }
        return xml(ClientConfigDocuments.autodiscover(settings(email, null)));
    }

    @GET
    @Path("apple/mail.mobileconfig")
    @Produces(MOBILECONFIG)
    public Response apple(@QueryParam("emailaddress") String email) {
        if (email == null) {
            throw ApiException.invalid("emailaddress", "emailaddress is required");
        }
        ClientSettings s = settings(email, null);
        return Response.ok(ClientConfigDocuments.mobileconfig(s), MOBILECONFIG)
                .header("Content-Disposition", "attachment; filename=\"" + s.domain() + ".mobileconfig\"").build();
    }

    private static Response xml(String body) {
        return Response.ok(body, MediaType.APPLICATION_XML_TYPE.withCharset("utf-8")).build();
    }

    private ClientSettings settings(String email, String hostHeader) {
        String domain;
        String address;
        if (email != null && !email.isBlank()) {
            EmailAddress a = Inputs.address(email, "emailaddress");
            domain = a.domain().asciiForm();
            address = a.toString();
        } else {
            // Thunderbird may omit emailaddress; then the domain is the one it asked autoconfig.<domain> for
            String h = hostHeader == null ? "" : hostHeader.replaceAll(":\\d+$", "").toLowerCase(Locale.ROOT);
            domain = Inputs.domain(h.startsWith("autoconfig.") ? h.substring("autoconfig.".length()) : h, "emailaddress")
                    .asciiForm();
            address = "%EMAILADDRESS%";
        }
        if (hosted.primaryOf(domain).isEmpty()) {
            throw ApiException.notFound("domain", domain);
        }
        DirectoryConfig.Ports p = config.ports();
        return new ClientSettings(domain, address, config.publicHostname(), p.imaps(), p.imap(), p.pop3s(), p.pop3(),
                p.submissions(), p.submission());
    }
}
