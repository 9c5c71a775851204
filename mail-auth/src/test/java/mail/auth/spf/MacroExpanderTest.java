package mail.auth.spf;

import static mail.auth.dns.FakeDns.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The examples of RFC 7208 §7.4, and malformed macros. */
class MacroExpanderTest {
    private static final MacroExpander.Context V4 = new MacroExpander.Context(ip("192.0.2.3"),
            "strong-bad@email.example.com", "email.example.com", "mx.example.org", "mx.example.net");
    private static final MacroExpander.Context V6 = new MacroExpander.Context(ip("2001:db8::cb01"),
            "strong-bad@email.example.com", "email.example.com", "mx.example.org", "mx.example.net");

    private static String x(String spec) {
        return MacroExpander.expand(spec, V4, false);
    }

    @Test
    void rfcExamples() {
        assertThat(x("%{s}")).isEqualTo("strong-bad@email.example.com");
        assertThat(x("%{o}")).isEqualTo("email.example.com");
        assertThat(x("%{d}")).isEqualTo("email.example.com");
        assertThat(x("%{d4}")).isEqualTo("email.example.com");
        assertThat(x("%{d3}")).isEqualTo("email.example.com");
        assertThat(x("%{d2}")).isEqualTo("example.com");
        assertThat(x("%{d1}")).isEqualTo("com");
        assertThat(x("%{dr}")).isEqualTo("com.example.email");
        assertThat(x("%{d2r}")).isEqualTo("example.email");
        assertThat(x("%{l}")).isEqualTo("strong-bad");
        assertThat(x("%{l-}")).isEqualTo("strong.bad");
        assertThat(x("%{lr}")).isEqualTo("strong-bad");
        assertThat(x("%{lr-}")).isEqualTo("bad.strong");
        assertThat(x("%{l1r-}")).isEqualTo("strong");
        assertThat(x("%{ir}.%{v}._spf.%{d2}")).isEqualTo("3.2.0.192.in-addr._spf.example.com");
        assertThat(x("%{lr-}.lp._spf.%{d2}")).isEqualTo("bad.strong.lp._spf.example.com");
        assertThat(x("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}")).isEqualTo("bad.strong.lp.3.2.0.192.in-addr._spf.example.com");
        assertThat(x("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}")).isEqualTo("3.2.0.192.in-addr.strong.lp._spf.example.com");
        assertThat(x("%{d2}.trusted-domains.example.net")).isEqualTo("example.com.trusted-domains.example.net");
        assertThat(MacroExpander.expand("%{ir}.%{v}._spf.%{d2}", V6, false))
                .isEqualTo("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com");
    }

    @Test
    void escapesAndUrlEncoding() {
        assertThat(x("a%%b%_c%-d")).isEqualTo("a%b c%20d");
        assertThat(MacroExpander.expand("%{S}", new MacroExpander.Context(ip("192.0.2.3"), "a b@example.com",
                "example.com", "h.example", "r.example"), false)).isEqualTo("a%20b%40example.com");
        assertThat(MacroExpander.expand("%{h} %{c} %{r}", V4, true)).isEqualTo("mx.example.org 192.0.2.3 mx.example.net");
    }

    @Test
    void malformedMacrosAreSyntaxErrors() {
        assertThatThrownBy(() -> x("%{x}")).isInstanceOf(SpfSyntaxException.class);
        assertThatThrownBy(() -> x("%{d")).isInstanceOf(SpfSyntaxException.class);
        assertThatThrownBy(() -> x("100%")).isInstanceOf(SpfSyntaxException.class);
        assertThatThrownBy(() -> x("%a")).isInstanceOf(SpfSyntaxException.class);
        assertThatThrownBy(() -> x("%{d0}")).isInstanceOf(SpfSyntaxException.class);
        assertThatThrownBy(() -> x("%{d2!}")).isInstanceOf(SpfSyntaxException.class);
        // c, r and t only in explanations
        assertThatThrownBy(() -> x("%{c}")).isInstanceOf(SpfSyntaxException.class);
    }
}
