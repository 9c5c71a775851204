package mail.relay.mtasts;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import mail.relay.route.DnsLookup;

/**
 * Fetches policies with a small HTTP/1.1 client of its own rather than the JDK's: the policy host is resolved
 * through the relay's DNS (the same answers MX routing uses, and a resolver tests can point at loopback), redirects
 * must not be followed and caches must not be used (RFC 8461 §3.3), and the body is bounded at 64 KB while it is
 * read. The certificate must be valid for {@code mta-sts.<domain>} against the relay's trust store.
 */
public final class HttpsPolicyFetcher implements PolicyFetcher {
    static final int MAX_BODY = 64 * 1024;
    private static final int MAX_HEAD = 16 * 1024;
    private static final String PATH = "/.well-known/mta-sts.txt";

    private final DnsLookup dns;
    private final SSLContext tls;
    private final int port;
    private final Duration timeout;

    public HttpsPolicyFetcher(DnsLookup dns, SSLContext tls, int port, Duration timeout) {
        this.dns = dns;
        this.tls = tls;
        this.port = port;
        this.timeout = timeout;
    }

    @Override
    public String fetch(String domain) throws IOException {
        String host = "mta-sts." + domain;
        List<String> addresses;
        try {
            addresses = dns.addresses(host);
        } catch (DnsLookup.DnsFailure e) {
            throw new IOException(e.getMessage(), e);
        }
        if (addresses.isEmpty()) {
            throw new IOException(host + " has no address");
        }
        IOException last = null;
        for (String address : addresses) {
            try {
                return fetch(host, address);
            } catch (PolicyRefused e) {
                throw e; // the server answered: another address of the same name will not answer differently
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private String fetch(String host, String address) throws IOException {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(address, port), millis);
            plain.setSoTimeout(millis);
            SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
            s.setUseClientMode(true);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            try (s) {
                s.startHandshake();
                OutputStream out = s.getOutputStream();
                out.write(("GET " + PATH + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: text/plain\r\nUser-Agent: outbound-relay\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return read(host, new BoundedInput(new BufferedInputStream(s.getInputStream())));
            }
        } finally {
            plain.close();
        }
    }

    private static String read(String host, BoundedInput in) throws IOException {
        in.restart(MAX_HEAD);
        String status = in.line();
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException(host + " did not answer HTTP: " + abbreviate(status));
        }
        String code = parts[1];
        if (!"200".equals(code)) {
            // 3xx too: a policy host must answer itself (§3.3)
            throw new PolicyRefused(host + PATH + " answered " + abbreviate(status.substring(status.indexOf(' ') + 1)));
        }
        long length = -1;
        boolean chunked = false;
        for (String line = in.line(); !line.isEmpty(); line = in.line()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException(host + ": malformed header line");
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("content-type") && !value.toLowerCase(Locale.ROOT).startsWith("text/plain")) {
                throw new PolicyRefused(host + PATH + " is " + abbreviate(value) + ", not text/plain");
            } else if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException(host + ": bad Content-Length " + abbreviate(value));
                }
            } else if (name.equals("transfer-encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            }
        }
        in.restart(MAX_BODY); // chunk size lines count too: the whole body phase stays within the limit
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            while (true) {
                String size = in.line();
                int semi = size.indexOf(';');
                long n;
                try {
                    n = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException(host + ": bad chunk size");
                }
                if (n == 0) {
                    break;
                }
                in.copy(body, n, host);
                in.line();
            }
        } else if (length >= 0) {
            if (length > MAX_BODY) {
                throw new PolicyRefused(host + PATH + " is " + length + " bytes, more than the 64 KB a policy may have");
            }
            in.copy(body, length, host);
        } else {
            in.copy(body, Long.MAX_VALUE, host);
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    /** The policy server answered, but not with a policy. */
    static final class PolicyRefused extends IOException {
        PolicyRefused(String message) {
            super(message);
        }
    }

    /** Counts what is read in each phase so that neither the head nor the body can grow without bound. */
    private static final class BoundedInput {
        private final InputStream in;
        private long count;
        private long limit;

        BoundedInput(InputStream in) {
            this.in = in;
        }

        void restart(long newLimit) {
            count = 0;
            limit = newLimit;
        }

        int next() throws IOException {
            if (count >= limit) {
                throw new PolicyRefused("the policy answer is larger than " + limit / 1024 + " KB");
            }
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            while (true) {
                int b = next();
                if (b < 0) {
                    throw new IOException("connection closed in the middle of the answer");
                }
                if (b == '\n') {
                    int end = sb.length();
                    return end > 0 && sb.charAt(end - 1) == '\r' ? sb.substring(0, end - 1) : sb.toString();
                }
                sb.append((char) b);
            }
        }

        void copy(ByteArrayOutputStream to, long n, String host) throws IOException {
            for (long i = 0; i < n; i++) {
                int b = next();
                if (b < 0) {
                    if (n == Long.MAX_VALUE) {
                        return; // the body ends with the connection
                    }
                    throw new IOException(host + ": connection closed before the whole policy arrived");
                }
                to.write(b);
            }
        }
    }
}
