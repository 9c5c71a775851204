package mail.core.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccountIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "acc-123", "user@example.com", "A.b_C+d-E", "0", "550e8400-e29b-41d4-a716-446655440000"})
    void validIdsAreKeptVerbatim(String value) {
        AccountId id = AccountId.of(value);

        assertThat(id.value()).isEqualTo(value);
        assertThat(id).hasToString(value).isEqualTo(new AccountId(value));
    }

    @Test
    void lengthLimitIs128() {
        assertThat(AccountId.of("x".repeat(128)).value()).hasSize(128);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> AccountId.of("x".repeat(129)))
                .withMessageContaining("longer than 128");
    }

    @Test
    void emptyIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> AccountId.of("")).withMessage("account id is empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "   ", "a b", " a", "a\n", "a/b", "a:b", "a#b", "ü", "a\u0000", "a%2F", "a*", "\t"})
    void otherCharactersAreRejected(String value) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> AccountId.of(value))
                .withMessageContaining("[A-Za-z0-9._@+-]");
    }

    @Test
    void canonicalConstructorValidatesToo() {
        assertThatIllegalArgumentException().isThrownBy(() -> new AccountId("a b"));
        assertThatNullPointerException().isThrownBy(() -> new AccountId(null));
    }

    @Test
    void caseIsSignificant() {
        assertThat(AccountId.of("Abc")).isNotEqualTo(AccountId.of("abc"));
    }

    @Test
    void messageEscapesControlCharacters() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> AccountId.of("a\r\nb"))
                .withMessageContaining("index 1")
                .withMessageContaining("\\u000D\\u000A")
                .withMessageNotContaining("\n");
    }
}
