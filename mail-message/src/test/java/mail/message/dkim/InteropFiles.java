package mail.message.dkim;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The Java half of the interoperability check with dkimpy (Debian's python3-dkim), run by hand or by CI where that
 * package is installed; see docs/dkim.md. {@code export DIR} writes keys, a zone and messages signed by us;
 * {@code verify DIR} verifies the theirs-*.eml that dkimpy signed, and exits 1 unless every signature passes.
 */
public final class InteropFiles {
    private static final List<String> MESSAGES = List.of(
            "From: Alice <alice@interop.test>\r\nTo: bob@remote.example\r\nSubject: plain\r\n"
                    + "Date: Sun, 29 Nov 2026 09:00:00 +0000\r\nMessage-ID: <p1@interop.test>\r\n\r\nHello.\r\n",
            "From:   Alice   <alice@interop.test> \r\nTo: bob@remote.example,\r\n\tcarol@remote.example\r\n"
                    + "Subject: =?utf-8?q?gr=C3=BC=C3=9Fe?=   folded\r\n  twice\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\n\r\n  leading space,\ttab  and trailing   \r\n"
                    + "\r\n\r\nbody with blank lines\r\n\r\n\r\n\r\n",
            "From: alice@interop.test\nTo: bob@remote.example\nSubject: bare LF\n\nline one\nline two\n",
            "From: alice@interop.test\r\nSubject: no body\r\n\r\n");

    private InteropFiles() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        if ("export".equals(args[0])) {
            export(dir);
        } else {
            System.exit(verify(dir) ? 0 : 1);
        }
    }

    private static void export(Path dir) throws Exception {
        Files.createDirectories(dir);
        TestKeys.Generated rsa = TestKeys.rsa("interop.test", "rsa1", 2048);
        TestKeys.Generated ed = TestKeys.ed25519("interop.test", "ed1");
        Files.writeString(dir.resolve("zone.txt"), "rsa1._domainkey.interop.test\t" + rsa.txt() + "\n"
                + "ed1._domainkey.interop.test\t" + ed.txt() + "\n");
        // dkimpy reads a PKCS#1 PEM and the base64 Ed25519 seed; both are inside our PKCS#8
        byte[] p8 = rsa.signing().privateKey().getEncoded();
        byte[] pkcs1 = Arrays.copyOfRange(p8, 26, p8.length);
        Files.writeString(dir.resolve("rsa1.pem"), "-----BEGIN RSA PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs1)
                + "\n-----END RSA PRIVATE KEY-----\n");
        byte[] e8 = ed.signing().privateKey().getEncoded();
        Files.writeString(dir.resolve("ed1.seed"), Base64.getEncoder().encodeToString(
                Arrays.copyOfRange(e8, e8.length - 32, e8.length)) + "\n");
        DkimSigner signer = new DkimSigner();
        for (int i = 0; i < MESSAGES.size(); i++) {
            byte[] m = MESSAGES.get(i).getBytes(StandardCharsets.UTF_8);
            Files.write(dir.resolve("plain-" + i + ".eml"), m);
            String fields = signer.sign(new ByteArrayInputStream(m), List.of(rsa.signing(), ed.signing()));
            Files.write(dir.resolve("ours-" + i + ".eml"), concat(fields.getBytes(StandardCharsets.US_ASCII), m));
        }
        System.out.println("exported " + MESSAGES.size() + " messages to " + dir);
    }

    private static boolean verify(Path dir) throws Exception {
        Map<String, String> zone = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve("zone.txt"))) {
            int tab = line.indexOf('\t');
            zone.put(line.substring(0, tab), line.substring(tab + 1));
        }
        DkimVerifier verifier = new DkimVerifier((s, d) -> {
            String txt = zone.get(s + "._domainkey." + d);
            return txt == null ? new DkimKeyLookup.NotFound() : new DkimKeyLookup.Records(List.of(txt));
        });
        List<Path> theirs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().startsWith("theirs-")).sorted().forEach(theirs::add);
        }
        boolean all = !theirs.isEmpty();
        for (Path p : theirs) {
            DkimVerification v = verifier.verify(new ByteArrayInputStream(Files.readAllBytes(p)));
            boolean ok = !v.results().isEmpty() && v.passes().size() == v.results().size();
            all &= ok;
            System.out.println(p.getFileName() + ": " + (ok ? "PASS " : "FAIL ") + v.authResultsClauses().replace("\r\n\t", " "));
        }
        System.out.println(all ? "java verified every dkimpy signature" : "java: NOT every dkimpy signature verified");
        return all;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
