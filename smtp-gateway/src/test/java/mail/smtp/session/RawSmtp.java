package mail.smtp.session;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal SMTP client for messages whose bytes matter (DKIM-signed, folded header fields): the message is sent as
 * given, dot-stuffed, and each reply is returned whole.
 */
final class RawSmtp implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    RawSmtp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        out = socket.getOutputStream();
        expect(reply(), "220");
    }

    String command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return reply();
    }

    /** The whole reply, lines joined with \n. */
    String reply() throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            String l = in.readLine();
            if (l == null) {
                throw new IOException("connection closed; so far: " + b);
            }
            b.append(l);
            if (l.length() < 4 || l.charAt(3) != '-') {
                return b.toString();
            }
            b.append('\n');
        }
    }

    /** MAIL, RCPT, DATA, the message: returns the final reply. */
    String send(String helo, String mailFrom, String rcpt, byte[] message) throws IOException {
        expect(command("EHLO " + helo), "250");
        expect(command("MAIL FROM:<" + mailFrom + ">"), "250");
        expect(command("RCPT TO:<" + rcpt + ">"), "250");
        expect(command("DATA"), "354");
        return data(message);
    }

    String data(byte[] message) throws IOException {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        StringBuilder stuffed = new StringBuilder();
        for (String line : text.split("\r\n", -1)) {
            stuffed.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
        }
        // split() gave one empty element after the final CRLF
        stuffed.setLength(stuffed.length() - 2);
        out.write(stuffed.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(".\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return reply();
    }

    /** One BDAT chunk, sent as is (RFC 3030: no dot-stuffing). */
    String bdat(byte[] chunk, boolean last) throws IOException {
        out.write(("BDAT " + chunk.length + (last ? " LAST" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(chunk);
        out.flush();
        return reply();
    }

    static String expect(String reply, String code) {
        if (!reply.startsWith(code)) {
            throw new AssertionError("expected " + code + " but got: " + reply);
        }
        return reply;
    }

    @Override
    public void close() throws IOException {
        try {
            command("QUIT");
        } catch (IOException ignored) {
            // closing anyway
        }
        socket.close();
    }
}
