package mail.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded (so reproducible) damage to every test message: truncations, octets that matter to MIME (CR, LF, '-',
 * ':', '=', blanks, 8-bit), deleted and repeated spans. Whatever comes out, the parser must not fail, must not
 * fall back to its internal-error path, and its offsets must still agree with the bytes.
 */
class MutationTest {
    private static final byte[] INTERESTING = {'\r', '\n', '-', ':', '=', ' ', '\t', '"', ';', (byte) 0x80, 0};

    static List<Arguments> messages() {
        return TestMessages.all().stream()
                .filter(a -> ((byte[]) a.get()[1]).length < 200_000)
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void damagedMessagesStillParseConsistently(String name, byte[] original) throws IOException {
        Random random = new Random(name.hashCode());
        int rounds = Integer.getInteger("mutation.rounds", 40); // raise locally for a longer hunt
        for (int round = 0; round < rounds; round++) {
            byte[] raw = mutate(original, random);
            ParsedMessage m = Corpus.parse(raw);
            assertThat(m.defects()).as("round %d", round).noneMatch(d -> d.startsWith("internal-error"));
            StructureInvariants.check(raw, m);
            assertThat(new MessageParser().parse(ChunkedInputStream.random(raw, round))).isEqualTo(m);
        }
    }

    private static byte[] mutate(byte[] in, Random random) {
        if (in.length == 0) {
            return new byte[] {INTERESTING[random.nextInt(INTERESTING.length)]};
        }
        byte[] b = in.clone();
        int at = random.nextInt(b.length);
        switch (random.nextInt(4)) {
            case 0 -> {
                return Arrays.copyOf(b, at);
            }
            case 1 -> {
                for (int i = 0; i < 1 + random.nextInt(8); i++) {
                    b[random.nextInt(b.length)] = INTERESTING[random.nextInt(INTERESTING.length)];
                }
                return b;
            }
            case 2 -> {
                int len = Math.min(b.length - at, 1 + random.nextInt(200));
                byte[] out = new byte[b.length - len];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + len, out, at, b.length - at - len);
                return out;
            }
            default -> {
                int len = Math.min(b.length - at, 1 + random.nextInt(200));
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, at + len);
                System.arraycopy(b, at, out, at + len, b.length - at);
                return out;
            }
        }
    }
}
