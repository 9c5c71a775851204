package mail.smtp.protocol;

import static mail.smtp.protocol.Fixtures.PARSER;
import static mail.smtp.protocol.Fixtures.parse;
import static mail.smtp.protocol.Fixtures.parserWith;
import static mail.smtp.protocol.Fixtures.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import mail.core.address.EmailAddress;
import mail.smtp.protocol.RcptParameters.Notify;
import mail.smtp.protocol.RcptParameters.OriginalRecipient;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RcptCommandTest {

    private static SmtpCommand.Rcpt rcpt(String line) throws SmtpSyntaxException {
        return parse(line, SmtpCommand.Rcpt.class);
    }

    private static SmtpCommand.Rcpt rcptUtf8(String line) throws SmtpSyntaxException {
        return parse(PARSER, line, true, SmtpCommand.Rcpt.class);
    }

    @Nested
    class Paths {

        @Test
        void plainRecipient() throws SmtpSyntaxException {
            SmtpCommand.Rcpt rcpt = rcpt("RCPT TO:<bob@example.org>");

            assertThat(rcpt.forwardPath()).isEqualTo(EmailAddress.parse("bob@example.org"));
            assertThat(rcpt.postmaster()).isFalse();
            assertThat(rcpt.params()).isEqualTo(RcptParameters.NONE);
        }

        @ParameterizedTest
        @ValueSource(strings = {"RCPT TO: <bob@example.org>", "rcpt to:<bob@example.org>", "Rcpt To:<bob@example.org>",
                "RCPT   TO:\t <bob@example.org>  "})
        void commonClientVariants(String line) throws SmtpSyntaxException {
            assertThat(rcpt(line).forwardPath()).isEqualTo(EmailAddress.parse("bob@example.org"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"RCPT TO:<Postmaster>", "RCPT TO:<postmaster>", "RCPT TO:<POSTMASTER>",
                "rcpt to: <PostMaster>"})
        void domainlessPostmasterIsAcceptedInAnyCase(String line) throws SmtpSyntaxException {
            SmtpCommand.Rcpt rcpt = rcpt(line);

            assertThat(rcpt.postmaster()).isTrue();
            assertThat(rcpt.forwardPath().toString()).isEqualTo("postmaster@mx.example.net");
        }

        @Test
        void postmasterWithDomainIsAnOrdinaryAddress() throws SmtpSyntaxException {
            SmtpCommand.Rcpt rcpt = rcpt("RCPT TO:<Postmaster@example.org>");

            assertThat(rcpt.postmaster()).isFalse();
            assertThat(rcpt.forwardPath().localPart()).isEqualTo("Postmaster");
        }

        @Test
        void postmasterTakesParameters() throws SmtpSyntaxException {
            SmtpCommand.Rcpt rcpt = rcpt("RCPT TO:<Postmaster> NOTIFY=NEVER");
            assertThat(rcpt.postmaster()).isTrue();
            assertThat(rcpt.params().notifyOn()).containsExactly(Notify.NEVER);
        }

        @Test
        void postmasterLookalikesAreNotPostmaster() {
            rejected("RCPT TO:<Postmaster >", 501, "5.1.3");
            rejected("RCPT TO:<postmaste>", 501, "5.1.3");
            rejected("RCPT TO:<\"Postmaster\">", 501, "5.1.3");
            // U+0130 would lower-case to 'i' in some APIs; nothing here folds non-ASCII
            rejected("RCPT TO:<POSTMASTER\u212A>", 553, "5.6.7");
        }

        @Test
        void nullPathIsRejected() {
            SmtpReply reply = rejected("RCPT TO:<>", 501, "5.1.3");
            assertThat(reply.text()).contains("null path");
        }

        @Test
        void sourceRouteIsDropped() throws SmtpSyntaxException {
            assertThat(rcpt("RCPT TO:<@hosta.example,@hostb.example:user@hostc.example>").forwardPath())
                    .isEqualTo(EmailAddress.parse("user@hostc.example"));
            rejected("RCPT TO:<@hosta.example,hostb.example:user@hostc.example>", 501, "5.1.3");
        }

        @ParameterizedTest
        @ValueSource(strings = {"RCPT TO:bob@example.org", "RCPT TO: bob@example.org", "RCPT TO:", "RCPT TO:<bob@example.org",
                "RCPT TO:<bob>", "RCPT TO:<bob@>", "RCPT TO:<b ob@example.org>", "RCPT TO:<.bob@example.org>",
                "RCPT TO:<bob@example..org>"})
        void badPathsGet513(String line) {
            rejected(line, 501, "5.1.3");
        }

        @ParameterizedTest
        @ValueSource(strings = {"RCPT", "RCPT TO<bob@example.org>", "RCPT FROM:<bob@example.org>", "RCPT TO :<bob@example.org>"})
        void missingToColonGets501(String line) {
            assertThat(rejected(line, 501, "5.5.4").text()).contains("RCPT TO:<address>");
        }
    }

    @Nested
    class Utf8 {

        @Test
        void utf8RecipientInAnSmtpUtf8Transaction() throws SmtpSyntaxException {
            SmtpCommand.Rcpt rcpt = rcptUtf8("RCPT TO:<δοκιμή@παράδειγμα.δοκιμή>");

            assertThat(rcpt.forwardPath().localPart()).isEqualTo("δοκιμή");
            assertThat(rcpt.forwardPath().requiresSmtpUtf8()).isTrue();
        }

        @Test
        void utf8RecipientOutsideAnSmtpUtf8TransactionGets553() {
            SmtpReply reply = rejected("RCPT TO:<δοκιμή@example.com>", 553, "5.6.7");
            assertThat(reply).isEqualTo(Replies.NON_ASCII_RECIPIENT);
            rejected("RCPT TO:<bob@bücher.example>", 553, "5.6.7");
        }

        @Test
        void asciiRecipientInAnSmtpUtf8TransactionIsFine() throws SmtpSyntaxException {
            assertThat(rcptUtf8("RCPT TO:<bob@example.org>").forwardPath().requiresSmtpUtf8()).isFalse();
        }

        @Test
        void badUtf8AddressInAnSmtpUtf8TransactionGets513() {
            rejected(PARSER, "RCPT TO:<δοκ ιμή@example.com>", true, 501, "5.1.3");
        }
    }

    @Nested
    class NotifyParameter {

        @Test
        void never() throws SmtpSyntaxException {
            assertThat(rcpt("RCPT TO:<bob@example.org> NOTIFY=NEVER").params().notifyOn()).containsExactly(Notify.NEVER);
        }

        @Test
        void listOfConditions() throws SmtpSyntaxException {
            assertThat(rcpt("RCPT TO:<bob@example.org> NOTIFY=SUCCESS,FAILURE,DELAY").params().notifyOn())
                    .containsExactlyInAnyOrder(Notify.SUCCESS, Notify.FAILURE, Notify.DELAY);
            assertThat(rcpt("RCPT TO:<bob@example.org> notify=failure,delay").params().notifyOn())
                    .containsExactlyInAnyOrder(Notify.FAILURE, Notify.DELAY);
            assertThat(rcpt("RCPT TO:<bob@example.org> NOTIFY=Success").params().notifyOn())
                    .containsExactly(Notify.SUCCESS);
        }

        @Test
        void repeatedConditionCountsOnce() throws SmtpSyntaxException {
            assertThat(rcpt("RCPT TO:<bob@example.org> NOTIFY=FAILURE,FAILURE").params().notifyOn())
                    .containsExactly(Notify.FAILURE);
        }

        @Test
        void absentIsEmpty() throws SmtpSyntaxException {
            assertThat(rcpt("RCPT TO:<bob@example.org>").params().notifyOn()).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"NOTIFY", "NOTIFY=", "NOTIFY=NEVER,FAILURE", "NOTIFY=SUCCESS,NEVER", "NOTIFY=ALWAYS",
                "NOTIFY=SUCCESS,", "NOTIFY=,SUCCESS", "NOTIFY=SUCCESS,,DELAY", "NOTIFY=SUCCESS;DELAY", "NOTIFY=DELAYED"})
        void badValuesGet501(String param) {
            rejected("RCPT TO:<bob@example.org> " + param, 501, "5.5.4");
        }

        @Test
        void neverWithOthersNamesTheProblem() {
            assertThat(rejected("RCPT TO:<bob@example.org> NOTIFY=NEVER,DELAY", 501, "5.5.4").text())
                    .contains("NEVER cannot be combined");
        }
    }

    @Nested
    class Orcpt {

        @Test
        void rfc822IsXtextDecoded() throws SmtpSyntaxException {
            assertThat(rcpt("RCPT TO:<bob@example.org> ORCPT=rfc822;bob+2Btag@example.org").params().orcpt())
                    .contains(new OriginalRecipient("rfc822", "bob+tag@example.org"));
        }

        @Test
        void addressTypeIsLowerCased() throws SmtpSyntaxException {
            assertThat(rcpt("RCPT TO:<bob@example.org> ORCPT=RFC822;bob@example.org").params().orcpt())
                    .contains(new OriginalRecipient("rfc822", "bob@example.org"));
        }

        @Test
        void addressIsNotRequiredToBeAValidMailbox() throws SmtpSyntaxException {
            // RFC 3461 §4.2: not constrained to the syntax of its addr-type
            assertThat(rcpt("RCPT TO:<bob@example.org> ORCPT=rfc822;Bob+20Smith").params().orcpt())
                    .contains(new OriginalRecipient("rfc822", "Bob Smith"));
        }

        @Test
        void otherAddressTypesAreKept() throws SmtpSyntaxException {
            assertThat(rcpt("RCPT TO:<bob@example.org> ORCPT=x-local;12345").params().orcpt())
                    .contains(new OriginalRecipient("x-local", "12345"));
        }

        @Test
        void utf8XtextFormWorksOutsideSmtpUtf8() throws SmtpSyntaxException {
            assertThat(rcpt("RCPT TO:<bob@example.org> ORCPT=utf-8;j\\x{F6}rg@example.org").params().orcpt())
                    .contains(new OriginalRecipient("utf-8", "jörg@example.org"));
        }

        @Test
        void utf8UnitextFormOnlyInSmtpUtf8Transactions() throws SmtpSyntaxException {
            assertThat(rcptUtf8("RCPT TO:<jörg@example.org> ORCPT=UTF-8;jörg@example.org").params().orcpt())
                    .contains(new OriginalRecipient("utf-8", "jörg@example.org"));
            rejected("RCPT TO:<bob@example.org> ORCPT=utf-8;jörg@example.org", 501, "5.5.4");
        }

        @Test
        void fiveHundredCharactersAreAcceptedAndOneMoreIsNot() throws SmtpSyntaxException {
            String value = "rfc822;" + "o".repeat(500 - 7 - 12) + "@example.org";
            assertThat(value).hasSize(500);
            assertThat(rcpt("RCPT TO:<bob@example.org> ORCPT=" + value).params().orcpt()).isPresent();
            rejected("RCPT TO:<bob@example.org> ORCPT=" + "o" + value, 501, "5.5.4");
        }

        @ParameterizedTest
        @ValueSource(strings = {"ORCPT", "ORCPT=", "ORCPT=rfc822", "ORCPT=;bob@example.org", "ORCPT=rfc822;",
                "ORCPT=rfc(822);bob@example.org", "ORCPT=rfc822;bob+2bx@example.org", "ORCPT=rfc822;bob+0Ax@example.org",
                "ORCPT=rfc822;bob+", "ORCPT=utf-8;a\\x{41}@example.org", "ORCPT=utf-8;a+b@example.org",
                "ORCPT=utf-8;a\\x{D800}@example.org"})
        void badValuesGet501(String param) {
            rejected("RCPT TO:<bob@example.org> " + param, 501, "5.5.4");
        }
    }

    @Nested
    class ParameterLists {

        @Test
        void notifyAndOrcptTogether() throws SmtpSyntaxException {
            SmtpCommand.Rcpt rcpt = rcpt("RCPT TO:<bob@example.org> NOTIFY=FAILURE,DELAY ORCPT=rfc822;bob@example.org");

            assertThat(rcpt.params()).isEqualTo(new RcptParameters(Set.of(Notify.FAILURE, Notify.DELAY),
                    Optional.of(new OriginalRecipient("rfc822", "bob@example.org"))));
        }

        @ParameterizedTest
        @ValueSource(strings = {"NOTIFY=NEVER NOTIFY=NEVER", "NOTIFY=SUCCESS notify=FAILURE",
                "ORCPT=rfc822;a@b.example ORCPT=rfc822;a@b.example"})
        void duplicatesGet501(String params) {
            assertThat(rejected("RCPT TO:<bob@example.org> " + params, 501, "5.5.4").text()).startsWith("Duplicate");
        }

        @ParameterizedTest
        @ValueSource(strings = {"SIZE=10", "BODY=8BITMIME", "SMTPUTF8", "RET=FULL", "ENVID=x", "AUTH=<>", "X-PRIORITY=1"})
        void mailParametersAndUnknownsGet555(String param) {
            rejected("RCPT TO:<bob@example.org> " + param, 555, "5.5.4");
        }

        @Test
        void dsnParametersAreNotRecognizedWithoutDsn() {
            CommandParser noDsn = parserWith(Extension.SIZE, Extension.SMTPUTF8);
            rejected(noDsn, "RCPT TO:<bob@example.org> NOTIFY=NEVER", false, 555, "5.5.4");
            rejected(noDsn, "RCPT TO:<bob@example.org> ORCPT=rfc822;bob@example.org", false, 555, "5.5.4");
        }

        @Test
        void parametersMustBeSeparatedFromThePath() {
            rejected("RCPT TO:<bob@example.org>NOTIFY=NEVER", 501, "5.5.4");
        }
    }
}
