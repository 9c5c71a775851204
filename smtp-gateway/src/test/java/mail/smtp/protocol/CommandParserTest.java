package mail.smtp.protocol;

import static mail.smtp.protocol.Fixtures.PARSER;
import static mail.smtp.protocol.Fixtures.parse;
import static mail.smtp.protocol.Fixtures.rejected;
import static mail.smtp.protocol.Fixtures.rejection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import mail.core.address.AddressLiteral;
import mail.core.address.Domain;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandParserTest {

    @Nested
    class Verbs {

        @ParameterizedTest
        @ValueSource(strings = {"QUIT", "quit", "Quit", "qUiT"})
        void areCaseInsensitive(String verb) throws SmtpSyntaxException {
            assertThat(PARSER.parse(verb)).isEqualTo(new SmtpCommand.Quit());
        }

        @Test
        void everyCommandReportsItsVerb() throws SmtpSyntaxException {
            String[] lines = {"EHLO a.example", "HELO a.example", "MAIL FROM:<>", "RCPT TO:<Postmaster>", "DATA",
                    "BDAT 1", "RSET", "NOOP", "QUIT", "VRFY x", "EXPN x", "HELP", "STARTTLS", "AUTH PLAIN"};
            List<String> verbs = new ArrayList<>();
            for (String line : lines) {
                verbs.add(PARSER.parse(line).verb());
            }
            assertThat(verbs).containsExactly("EHLO", "HELO", "MAIL", "RCPT", "DATA", "BDAT", "RSET", "NOOP",
                    "QUIT", "VRFY", "EXPN", "HELP", "STARTTLS", "AUTH");
        }

        @ParameterizedTest
        @ValueSource(strings = {"FOO", "TURN", "ETRN example.com", "XCLIENT ADDR=1.2.3.4", "MAILFROM:<a@b.example>",
                "QUITT", "QUI", "GET / HTTP/1.1", "12345", "STARTTLSX"})
        void unknownCommandsGet500(String line) {
            SmtpReply reply = rejected(line, 500, "5.5.2");
            assertThat(reply.lines()).containsExactly("Syntax error, command unrecognized");
        }

        @Test
        void emptyAndBlankLinesAreUnknownCommands() {
            rejected("", 500, "5.5.2");
            rejected("   ", 500, "5.5.2");
            rejected("\t", 500, "5.5.2");
        }

        @Test
        void nonAsciiLettersDoNotFoldOntoVerbs() {
            // U+0131 dotless i upper-cases to 'I' with String.toUpperCase
            rejected("QU\u0131T", 500, "5.5.2");
            // U+017F long s upper-cases to 'S'
            rejected("RSET".replace('S', '\u017f'), 500, "5.5.2");
        }

        @Test
        void leadingAndTrailingWhitespaceIsIgnored() throws SmtpSyntaxException {
            assertThat(PARSER.parse("  NOOP  ")).isEqualTo(new SmtpCommand.Noop());
            assertThat(PARSER.parse("\tQUIT\t ")).isEqualTo(new SmtpCommand.Quit());
        }

        @Test
        void rejectionDoesNotAskToCloseTheConnection() {
            assertThat(rejection("FOO").closeConnection()).isFalse();
        }

        @Test
        void rejectsNullLine() {
            assertThatThrownBy(() -> PARSER.parse(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Nested
    class LineLength {

        private String noopOfLength(int octetsWithCrlf) {
            String line = "NOOP " + "x".repeat(octetsWithCrlf - 2 - 5);
            assertThat(line.length() + 2).isEqualTo(octetsWithCrlf);
            return line;
        }

        @Test
        void lineOfExactlyTheLimitIsAccepted() throws SmtpSyntaxException {
            assertThat(PARSER.parse(noopOfLength(512))).isEqualTo(new SmtpCommand.Noop());
        }

        @Test
        void lineOneOctetOverTheLimitIsRejected() {
            SmtpReply reply = rejected(PARSER, noopOfLength(513), false, 500, "5.5.2");
            assertThat(reply.lines()).containsExactly("Line too long");
        }

        @Test
        void limitCountsUtf8OctetsNotCharacters() throws SmtpSyntaxException {
            // 253 two-octet characters: 253 chars but 506 octets + "NOOP " + CRLF = 513
            String tooLong = "NOOP " + "é".repeat(253);
            String fits = "NOOP " + "é".repeat(252) + "x";
            assertThat(tooLong.length()).isLessThan(512);

            rejected(tooLong, 500, "5.5.2");
            assertThat(PARSER.parse(fits)).isEqualTo(new SmtpCommand.Noop());
        }

        @Test
        void limitIsConfigurable() throws SmtpSyntaxException {
            CommandParser generous = new CommandParser(new ParserOptions(Fixtures.SERVER,
                    EnumSet.allOf(Extension.class), new Limits(1000, 12_288)));

            assertThat(generous.parse(noopOfLength(1000))).isEqualTo(new SmtpCommand.Noop());
            rejected(generous, noopOfLength(1001), false, 500, "5.5.2");
        }

        @Test
        void unknownVerbsGetTheBaseLimit() {
            rejected("X".repeat(600), 500, "5.5.2");
            SmtpReply reply = rejected("FOO " + "x".repeat(600), 500, "5.5.2");
            assertThat(reply.lines()).containsExactly("Line too long");
        }

        @Test
        void mailGetsTheAllowancesOfTheAdvertisedExtensions() throws SmtpSyntaxException {
            // 512 + SIZE 26 + DSN 100 + AUTH 500 + SMTPUTF8 10
            assertThat(PARSER.options().mailLineLength()).isEqualTo(1148);
            String head = "MAIL FROM:<a@b.example>";
            String tail = " SIZE=1";
            String exact = head + " ".repeat(1148 - 2 - head.length() - tail.length()) + tail;
            assertThat(exact.length() + 2).isEqualTo(1148);

            assertThat(PARSER.parse(exact)).isInstanceOf(SmtpCommand.Mail.class);
            rejected(" " + exact, 500, "5.5.2");
        }

        @Test
        void mailWithoutExtensionsGetsTheBaseLimit() {
            CommandParser plain = Fixtures.parserWith();
            assertThat(plain.options().mailLineLength()).isEqualTo(512);
            String line = "MAIL FROM:<a@b.example>" + " ".repeat(600);
            rejected(plain, line, false, 500, "5.5.2");
        }

        @Test
        void rcptGetsTheDsnAllowance() throws SmtpSyntaxException {
            assertThat(PARSER.options().rcptLineLength()).isEqualTo(1012);
            String line = "RCPT TO:<a@b.example>" + " ".repeat(700) + "NOTIFY=NEVER";
            assertThat(line.length()).isGreaterThan(512).isLessThan(1010);

            assertThat(PARSER.parse(line)).isInstanceOf(SmtpCommand.Rcpt.class);
            rejected(Fixtures.parserWith(Extension.SMTPUTF8), line, false, 500, "5.5.2");
        }

        @Test
        void authGetsTheLargeLimit() throws SmtpSyntaxException {
            String token = Base64.getEncoder().encodeToString(new byte[6000]);
            assertThat(PARSER.parse("AUTH GSSAPI " + token)).isInstanceOf(SmtpCommand.Auth.class);

            String tooLong = "AUTH GSSAPI " + "A".repeat(12_288 - 2 - 11);
            rejected(tooLong, 500, "5.5.2");
        }

        @Test
        void maxLineOctetsIsTheLargestPerVerbLimit() {
            assertThat(PARSER.options().maxLineOctets()).isEqualTo(12_288);
            assertThat(Fixtures.parserWith().options().maxLineOctets()).isEqualTo(12_288);
        }

        @Test
        void hugeLineIsRejectedQuickly() {
            String huge = "NOOP " + "x".repeat(5_000_000);
            rejected(huge, 500, "5.5.2");
        }
    }

    @Nested
    class ControlCharacters {

        @ParameterizedTest
        @ValueSource(strings = {
                "NOOP a\u0000b", "MAIL FROM:<a@b.example>\u0000", "\u0000QUIT", "QUIT\u0000",
                "RCPT TO:<a@b.example>\rRSET", "NOOP \n", "HELO a\u001b[31m", "NOOP \u007f", "NOOP \u0085",
                "EHLO a.example\u000b", "VRFY a\u000cb"})
        void areRejectedWith501(String line) {
            SmtpReply reply = rejected(line, 501, "5.5.4");
            assertThat(reply.lines()).containsExactly("Control characters are not allowed in commands");
        }

        @Test
        void tabIsAcceptedAsWhitespace() throws SmtpSyntaxException {
            SmtpCommand.Mail mail = parse("MAIL\tFROM:\t<a@b.example>\tSIZE=10", SmtpCommand.Mail.class);
            assertThat(mail.params().size()).hasValue(10);
        }

        @Test
        void unpairedSurrogatesAreRejected() {
            rejected("NOOP \uD800", 501, "5.5.4");
            rejected("NOOP \uDC00x", 501, "5.5.4");
        }

        @Test
        void validSurrogatePairsAreFine() throws SmtpSyntaxException {
            assertThat(parse("HELP 😀", SmtpCommand.Help.class).argument()).isEqualTo("😀");
        }
    }

    @Nested
    class DecodeLine {

        @Test
        void decodesUtf8() throws SmtpSyntaxException {
            byte[] bytes = "xxMAIL FROM:<jörg@example.com>yy".getBytes(StandardCharsets.UTF_8);
            assertThat(CommandParser.decodeLine(bytes, 2, bytes.length - 4)).isEqualTo("MAIL FROM:<jörg@example.com>");
        }

        @Test
        void rejectsInvalidUtf8InsteadOfReplacingIt() {
            byte[][] invalid = {
                    {'N', 'O', 'O', 'P', ' ', (byte) 0xE9},              // Latin-1 é
                    {'N', 'O', 'O', 'P', ' ', (byte) 0xC0, (byte) 0xAF}, // overlong '/'
                    {'N', 'O', 'O', 'P', ' ', (byte) 0xED, (byte) 0xA0, (byte) 0x80}, // encoded surrogate
                    {'N', 'O', 'O', 'P', ' ', (byte) 0xE2, (byte) 0x82},  // truncated
            };
            for (byte[] bytes : invalid) {
                SmtpSyntaxException e = catchThrowableOfType(
                        SmtpSyntaxException.class, () -> CommandParser.decodeLine(bytes, 0, bytes.length));
                assertThat(e).isNotNull();
                assertThat(e.reply().code()).isEqualTo(500);
                assertThat(e.reply().enhancedCode()).isEqualTo("5.5.2");
            }
        }
    }

    @Nested
    class EhloHelo {

        @ParameterizedTest
        @ValueSource(strings = {"client.example.org", "localhost", "LOCALHOST", "mail.example.com.", "DESKTOP-4F2K9QL",
                "my_pc", "192.168.1.5", "[192.168.1.5]", "[IPv6:2001:db8::1]", "[ipv6:::1]", "xn--bcher-kva.example",
                "bücher.example", "例え.テスト", "a", "1"})
        void acceptHostNameLikeArguments(String argument) throws SmtpSyntaxException {
            assertThat(parse("EHLO " + argument, SmtpCommand.Ehlo.class).domainOrLiteral()).isEqualTo(argument);
            assertThat(parse("HELO " + argument, SmtpCommand.Helo.class).domain()).isEqualTo(argument);
        }

        @Test
        void verbIsCaseInsensitiveAndArgumentKeepsItsCase() throws SmtpSyntaxException {
            assertThat(PARSER.parse("ehlo Client.Example.ORG")).isEqualTo(new SmtpCommand.Ehlo("Client.Example.ORG"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"EHLO", "EHLO ", "HELO", "HELO \t "})
        void requireAnArgument(String line) {
            SmtpReply reply = rejected(line, 501, "5.5.4");
            assertThat(reply.text()).contains("requires a domain name or address literal");
        }

        @ParameterizedTest
        @ValueSource(strings = {"two words", "a..b", ".a", ".", "a@b", "(comment)", "\"quoted\"", "a;b", "a<b>",
                "[]", "[1.2.3.4", "1.2.3.4]", "[1.2.3.4 ]", "[a_b]", "a/b", "a,b", "é\u00a0x"})
        void rejectArgumentsThatDoNotLookLikeHostNames(String argument) {
            rejected("EHLO " + argument, 501, "5.5.4");
            rejected("HELO " + argument, 501, "5.5.4");
        }

        @Test
        void rejectOverlongNames() throws SmtpSyntaxException {
            String name = ("a".repeat(63) + ".").repeat(4); // 256 octets
            rejected("EHLO " + name.substring(0, 256), 501, "5.5.4");
            assertThat(PARSER.parse("EHLO " + name.substring(0, 255))).isInstanceOf(SmtpCommand.Ehlo.class);
        }

        @Test
        void domainPartIsOnlyPresentForStrictlyValidArguments() throws SmtpSyntaxException {
            assertThat(parse("EHLO Mail.Example.COM", SmtpCommand.Ehlo.class).domainPart())
                    .contains(Domain.parse("mail.example.com"));
            assertThat(parse("EHLO [IPv6:2001:DB8:0::1]", SmtpCommand.Ehlo.class).domainPart())
                    .contains(AddressLiteral.parse("[IPv6:2001:db8::1]"));
            assertThat(parse("HELO [10.0.0.1]", SmtpCommand.Helo.class).domainPart())
                    .contains(AddressLiteral.parse("[10.0.0.1]"));
            assertThat(parse("EHLO my_pc", SmtpCommand.Ehlo.class).domainPart()).isEmpty();
            assertThat(parse("EHLO 192.168.1.5", SmtpCommand.Ehlo.class).domainPart()).isEmpty();
            assertThat(parse("EHLO [999.1.1.1]", SmtpCommand.Ehlo.class).domainPart()).isEmpty();
        }
    }

    @Nested
    class ArgumentlessCommands {

        @Test
        void parse() throws SmtpSyntaxException {
            assertThat(PARSER.parse("DATA")).isEqualTo(new SmtpCommand.Data());
            assertThat(PARSER.parse("RSET")).isEqualTo(new SmtpCommand.Rset());
            assertThat(PARSER.parse("QUIT")).isEqualTo(new SmtpCommand.Quit());
            assertThat(PARSER.parse("STARTTLS")).isEqualTo(new SmtpCommand.StartTls());
            assertThat(PARSER.parse("starttls")).isEqualTo(new SmtpCommand.StartTls());
        }

        @ParameterizedTest
        @ValueSource(strings = {"DATA x", "RSET now", "QUIT please", "STARTTLS TLSv1.3", "DATA  \t  ."})
        void rejectArguments(String line) {
            SmtpReply reply = rejected(line, 501, "5.5.4");
            assertThat(reply.text()).endsWith("takes no arguments");
        }
    }

    @Nested
    class FreeTextCommands {

        @Test
        void noopIgnoresItsArguments() throws SmtpSyntaxException {
            assertThat(PARSER.parse("NOOP")).isEqualTo(new SmtpCommand.Noop());
            assertThat(PARSER.parse("NOOP anything at all <>@:;")).isEqualTo(new SmtpCommand.Noop());
        }

        @Test
        void helpArgumentIsOptional() throws SmtpSyntaxException {
            assertThat(PARSER.parse("HELP")).isEqualTo(new SmtpCommand.Help(""));
            assertThat(PARSER.parse("help  MAIL  ")).isEqualTo(new SmtpCommand.Help("MAIL"));
        }

        @Test
        void vrfyAndExpnKeepTheArgumentVerbatim() throws SmtpSyntaxException {
            assertThat(PARSER.parse("VRFY  Jörg Smith <jorg@example.com>"))
                    .isEqualTo(new SmtpCommand.Vrfy("Jörg Smith <jorg@example.com>"));
            assertThat(PARSER.parse("expn staff-list")).isEqualTo(new SmtpCommand.Expn("staff-list"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"VRFY", "VRFY   ", "EXPN", "EXPN\t"})
        void vrfyAndExpnRequireAnArgument(String line) {
            assertThat(rejected(line, 501, "5.5.4").text()).endsWith("requires an argument");
        }
    }

    @Nested
    class Bdat {

        @Test
        void sizeOnly() throws SmtpSyntaxException {
            assertThat(PARSER.parse("BDAT 1000")).isEqualTo(new SmtpCommand.Bdat(1000, false));
        }

        @Test
        void lastChunk() throws SmtpSyntaxException {
            assertThat(PARSER.parse("BDAT 86 LAST")).isEqualTo(new SmtpCommand.Bdat(86, true));
            assertThat(PARSER.parse("bdat 86 last")).isEqualTo(new SmtpCommand.Bdat(86, true));
            assertThat(PARSER.parse("BDAT  0 \tLast ")).isEqualTo(new SmtpCommand.Bdat(0, true));
        }

        @Test
        void leadingZerosAndLongMax() throws SmtpSyntaxException {
            assertThat(PARSER.parse("BDAT 007")).isEqualTo(new SmtpCommand.Bdat(7, false));
            assertThat(PARSER.parse("BDAT " + Long.MAX_VALUE)).isEqualTo(new SmtpCommand.Bdat(Long.MAX_VALUE, false));
        }

        @ParameterizedTest
        @ValueSource(strings = {"BDAT", "BDAT ", "BDAT -1", "BDAT +5", "BDAT 1.5", "BDAT 0x10", "BDAT ten",
                "BDAT 10 LAST extra", "BDAT 10 FIRST", "BDAT 10 LASTT", "BDAT LAST", "BDAT 1e3",
                "BDAT 9223372036854775808", "BDAT 99999999999999999999999", "BDAT ١٢٣"})
        void malformedBdatIsRejectedAndClosesTheConnection(String line) {
            SmtpSyntaxException e = rejection(line);
            assertThat(e.reply().code()).isEqualTo(501);
            assertThat(e.reply().enhancedCode()).isEqualTo("5.5.4");
            assertThat(e.closeConnection()).as("closeConnection for %s", line).isTrue();
        }

        @Test
        void lastMustBeAsciiLast() {
            assertThat(rejection("BDAT 5 LA\u017fT").closeConnection()).isTrue();
        }
    }

    @Nested
    class Auth {

        @Test
        void mechanismOnly() throws SmtpSyntaxException {
            SmtpCommand.Auth auth = parse("AUTH LOGIN", SmtpCommand.Auth.class);
            assertThat(auth.mechanism()).isEqualTo("LOGIN");
            assertThat(auth.initialResponse()).isEmpty();
            assertThat(auth.decodedInitialResponse()).isEmpty();
        }

        @Test
        void mechanismIsUpperCased() throws SmtpSyntaxException {
            assertThat(parse("auth plain", SmtpCommand.Auth.class).mechanism()).isEqualTo("PLAIN");
            assertThat(parse("AUTH scram-sha-256", SmtpCommand.Auth.class).mechanism()).isEqualTo("SCRAM-SHA-256");
        }

        @Test
        void withInitialResponse() throws SmtpSyntaxException {
            String plain = Base64.getEncoder().encodeToString("\0alice\0secret".getBytes(StandardCharsets.UTF_8));
            SmtpCommand.Auth auth = parse("AUTH PLAIN " + plain, SmtpCommand.Auth.class);

            assertThat(auth.initialResponse()).contains(plain);
            assertThat(auth.decodedInitialResponse()).hasValueSatisfying(
                    bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("\0alice\0secret"));
        }

        @Test
        void equalsSignIsAnEmptyInitialResponse() throws SmtpSyntaxException {
            SmtpCommand.Auth auth = parse("AUTH EXTERNAL =", SmtpCommand.Auth.class);

            assertThat(auth.initialResponse()).contains("");
            assertThat(auth.decodedInitialResponse()).hasValueSatisfying(b -> assertThat(b).isEmpty());
        }

        @Test
        void unpaddedBase64IsAccepted() throws SmtpSyntaxException {
            assertThat(parse("AUTH PLAIN YQ", SmtpCommand.Auth.class).decodedInitialResponse())
                    .hasValueSatisfying(b -> assertThat(b).containsExactly('a'));
        }

        @Test
        void unknownMechanismIsTheSessionsBusiness() throws SmtpSyntaxException {
            assertThat(parse("AUTH X-UNHEARD-OF", SmtpCommand.Auth.class).mechanism()).isEqualTo("X-UNHEARD-OF");
        }

        @ParameterizedTest
        @ValueSource(strings = {"AUTH", "AUTH ", "AUTH PLAIN a b", "AUTH PL@IN", "AUTH PLAIN.", "AUTH ABCDEFGHIJKLMNOPQRSTU",
                "AUTH PL\u0130N"})
        void malformedCommandsGet501(String line) {
            rejected(line, 501, "5.5.4");
        }

        @Test
        void twentyCharacterMechanismIsAllowed() throws SmtpSyntaxException {
            assertThat(parse("AUTH ABCDEFGHIJKLMNOPQRST", SmtpCommand.Auth.class).mechanism()).hasSize(20);
        }

        @ParameterizedTest
        @ValueSource(strings = {"AUTH PLAIN not*base64", "AUTH PLAIN ====", "AUTH PLAIN A", "AUTH PLAIN YQ=x",
                "AUTH PLAIN ==", "AUTH PLAIN *"})
        void badBase64GetsTheRfc4954Reply(String line) {
            SmtpReply reply = rejected(line, 501, "5.5.2");
            assertThat(reply).isEqualTo(Replies.AUTH_BAD_BASE64);
        }

        @Test
        void toStringNeverShowsTheCredentials() throws SmtpSyntaxException {
            String plain = Base64.getEncoder().encodeToString("\0alice\0hunter2".getBytes(StandardCharsets.UTF_8));
            SmtpCommand.Auth auth = parse("AUTH PLAIN " + plain, SmtpCommand.Auth.class);

            assertThat(auth.toString()).contains("PLAIN", "redacted").doesNotContain(plain);
            assertThat(parse("AUTH LOGIN", SmtpCommand.Auth.class).toString()).contains("none");
        }
    }

    @Test
    void parserIsSafeToShareBetweenThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2000; i++) {
                        SmtpCommand c = PARSER.parse("MAIL FROM:<u" + id + "x" + i + "@example.com> SIZE=" + i);
                        SmtpCommand.Mail mail = (SmtpCommand.Mail) c;
                        if (mail.params().size().getAsLong() != i
                                || !mail.reversePath().orElseThrow().localPart().equals("u" + id + "x" + i)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
