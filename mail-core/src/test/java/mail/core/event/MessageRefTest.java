package mail.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageRefTest {

    private static final String SHA = SampleEvents.SHA256;

    @Test
    void standardKeyIsSha256SlashHex() {
        MessageRef ref = MessageRef.of(SHA, 10);

        assertThat(ref.blobKey()).isEqualTo("sha256/" + SHA);
        assertThat(ref.sha256()).isEqualTo(SHA);
        assertThat(ref.size()).isEqualTo(10);
    }

    @Test
    void shardedKeysThatNameTheDigestAreAccepted() {
        MessageRef ref = new MessageRef("sha256/9f/86/" + SHA, SHA, 0);

        assertThat(ref.blobKey()).endsWith(SHA);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a088",
            "zz86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            ""})
    void sha256MustBe64LowerCaseHexDigits(String digest) {
        assertThatThrownBy(() -> MessageRef.of(digest, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sha256 must be 64 lower-case hex characters");
    }

    @Test
    void keyMustNameTheDigestSoThatStorageStaysContentAddressed() {
        String other = "0".repeat(64);

        assertThatThrownBy(() -> new MessageRef("sha256/" + other, SHA, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not contain the sha256");
    }

    @Test
    void keyIsRelativeToTheBucket() {
        assertThatThrownBy(() -> new MessageRef("/sha256/" + SHA, SHA, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("relative to the bucket");
    }

    @Test
    void sizeMustNotBeNegative() {
        assertThatThrownBy(() -> MessageRef.of(SHA, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size must be >= 0");
    }

    @Test
    void nullsAreRejectedWithTheFieldName() {
        assertThatThrownBy(() -> new MessageRef(null, SHA, 1)).hasMessage("blobKey must not be null");
        assertThatThrownBy(() -> new MessageRef("sha256/" + SHA, null, 1)).hasMessage("sha256 must not be null");
    }
}
