package mail.imap.fetch;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Streaming Content-Transfer-Encoding decoders for BINARY (RFC 3516). They are lenient the way mail readers are:
 * base64 skips characters outside the alphabet and stops at padding; quoted-printable keeps a malformed {@code =}
 * sequence as it is. Both read the encoded input in one pass with constant memory.
 */
final class TransferDecoding {
    private TransferDecoding() {
    }

    /** Encodings whose decoded form is the encoded form (RFC 2045 §6.2); multipart and message parts use these. */
    static boolean isIdentity(String encoding) {
        String e = normalise(encoding);
        return e.equals("7bit") || e.equals("8bit") || e.equals("binary");
    }

    static boolean isKnown(String encoding) {
        String e = normalise(encoding);
        return isIdentity(e) || e.equals("base64") || e.equals("quoted-printable");
    }

    /** The decoded stream; the caller has checked {@link #isKnown}. */
    static InputStream decode(String encoding, InputStream in) {
        String e = normalise(encoding);
        if (e.equals("base64")) {
            return new Base64Input(in);
        }
        if (e.equals("quoted-printable")) {
            return new QuotedPrintableInput(in);
        }
        return in;
    }

    private static String normalise(String encoding) {
        return encoding == null || encoding.isBlank() ? "7bit" : encoding.strip().toLowerCase(Locale.ROOT);
    }

    /** Byte-at-a-time decoders get their block read from this base. */
    private abstract static class DecodingInput extends FilterInputStream {
        DecodingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n = 0;
            while (n < len) {
                int c = read();
                if (c < 0) {
                    return n == 0 ? -1 : n;
                }
                b[off + n++] = (byte) c;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long done = 0;
            while (done < n && read() >= 0) {
                done++;
            }
            return done;
        }

        @Override
        public int available() {
            return 0;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    static final class Base64Input extends DecodingInput {
        private static final int[] VALUE = new int[256];

        static {
            java.util.Arrays.fill(VALUE, -1);
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            for (int i = 0; i < alphabet.length(); i++) {
                VALUE[alphabet.charAt(i)] = i;
            }
        }

        private final byte[] raw = new byte[8192];
        private int rawPos;
        private int rawLen;
        private final int[] out = new int[3];
        private int outPos;
        private int outLen;
        private boolean ended;

        Base64Input(InputStream in) {
            super(in);
        }

        private int next() throws IOException {
            if (rawPos == rawLen) {
                rawLen = in.read(raw, 0, raw.length);
                rawPos = 0;
                if (rawLen <= 0) {
                    rawLen = 0;
                    return -1;
                }
            }
            return raw[rawPos++] & 0xFF;
        }

        @Override
        public int read() throws IOException {
            while (outPos == outLen) {
                if (ended) {
                    return -1;
                }
                fill();
            }
            return out[outPos++];
        }

        /** One quantum of four alphabet characters, or what is left before padding / the end of input. */
        private void fill() throws IOException {
            int acc = 0;
            int count = 0;
            while (count < 4) {
                int c = next();
                if (c < 0 || c == '=') {
                    ended = true;
                    break;
                }
                int v = VALUE[c];
                if (v < 0) {
                    continue;
                }
                acc = (acc << 6) | v;
                count++;
            }
            outPos = 0;
            if (count == 4) {
                out[0] = (acc >> 16) & 0xFF;
                out[1] = (acc >> 8) & 0xFF;
                out[2] = acc & 0xFF;
                outLen = 3;
            } else if (count == 3) {
                acc <<= 6;
                out[0] = (acc >> 16) & 0xFF;
                out[1] = (acc >> 8) & 0xFF;
                outLen = 2;
            } else if (count == 2) {
                acc <<= 12;
                out[0] = (acc >> 16) & 0xFF;
                outLen = 1;
            } else {
                // a single leftover character carries fewer than 8 bits: nothing to emit
                outLen = 0;
            }
        }
    }

    /**
     * RFC 2045 §6.7: {@code =XX} is an octet, {@code =} at the end of a line is a soft line break, and whitespace at
     * the end of a line is transport padding that a decoder removes.
     */
    static final class QuotedPrintableInput extends DecodingInput {
        private final java.io.PushbackInputStream source;
        /** Decoded octets waiting to be returned (held-back whitespace, a malformed escape kept literally). */
        private final byte[] pending = new byte[4096];
        private int pendingPos;
        private int pendingLen;

        QuotedPrintableInput(InputStream in) {
            super(new java.io.PushbackInputStream(new java.io.BufferedInputStream(in, 8192), 3));
            this.source = (java.io.PushbackInputStream) this.in;
        }

        @Override
        public int read() throws IOException {
            if (pendingPos < pendingLen) {
                return pending[pendingPos++] & 0xFF;
            }
            pendingPos = 0;
            pendingLen = 0;
            int c = source.read();
            if (c < 0) {
                return -1;
            }
            if (c == ' ' || c == '\t') {
                return whitespace(c);
            }
            if (c != '=') {
                return c;
            }
            int h1 = source.read();
            if (h1 == '\n') {
                return read();
            }
            if (h1 == '\r') {
                int lf = source.read();
                if (lf == '\n') {
                    return read();
                }
                if (lf >= 0) {
                    source.unread(lf);
                }
                source.unread('\r');
                return '=';
            }
            if (h1 == ' ' || h1 == '\t') {
                // "=" followed by padding and then the line end is still a soft break
                int len = 0;
                byte[] ws = new byte[pending.length];
                int w = h1;
                while ((w == ' ' || w == '\t') && len < ws.length) {
                    ws[len++] = (byte) w;
                    w = source.read();
                }
                if (w == '\n') {
                    return read();
                }
                if (w == '\r') {
                    int lf = source.read();
                    if (lf == '\n') {
                        return read();
                    }
                    if (lf >= 0) {
                        source.unread(lf);
                    }
                }
                if (w >= 0) {
                    source.unread(w);
                }
                System.arraycopy(ws, 0, pending, 0, len);
                pendingLen = len;
                return '=';
            }
            int h2 = h1 < 0 ? -1 : source.read();
            int v1 = hex(h1);
            int v2 = hex(h2);
            if (v1 >= 0 && v2 >= 0) {
                return (v1 << 4) | v2;
            }
            if (h2 >= 0) {
                source.unread(h2);
            }
            if (h1 >= 0) {
                source.unread(h1);
            }
            return '=';
        }

        /** Holds a whitespace run back until it is known whether the line ends right after it. */
        private int whitespace(int first) throws IOException {
            int len = 0;
            pending[len++] = (byte) first;
            int c = source.read();
            while ((c == ' ' || c == '\t') && len < pending.length) {
                pending[len++] = (byte) c;
                c = source.read();
            }
            if (c == '\r') {
                int lf = source.read();
                if (lf >= 0) {
                    source.unread(lf);
                }
                if (lf == '\n') {
                    return '\r';
                }
                pending[len++] = (byte) c;
                c = -2;
            } else if (c == '\n' || c < 0) {
                return c < 0 ? -1 : '\n';
            }
            if (c >= 0) {
                source.unread(c);
            }
            pendingLen = len;
            pendingPos = 1;
            return pending[0] & 0xFF;
        }

        private static int hex(int c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'A' && c <= 'F') {
                return c - 'A' + 10;
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            return -1;
        }
    }
}
