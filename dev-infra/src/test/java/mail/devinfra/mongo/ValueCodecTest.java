package mail.devinfra.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Decimal128;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.h2.mvstore.WriteBuffer;
import org.junit.jupiter.api.Test;

/** The value storage's own rules: what goes in comes out equal, and the key order is a total order. */
class ValueCodecTest {
    private final ValueCodec codec = ValueCodec.INSTANCE;

    private static List<Object> samples() {
        List<Object> values = new ArrayList<>(Arrays.asList(
                null, Missing.getInstance(), false, true, 0, 1, -1, Integer.MAX_VALUE, 1L, Long.MIN_VALUE, 0.0, -0.0, 1.0,
                Double.NaN, "", "a", "ab", "b", "Grüße \uD83D\uDE00",
                new ObjectId("65f000000000000000000001"), new ObjectId("65f000000000000000000002"),
                Instant.ofEpochSecond(0), Instant.ofEpochSecond(1_795_989_332L, 754_000_000),
                new Document(), new Document("a", 1), new Document("a", 2), new Document("a", 1).append("b", 1),
                new Document("b", 1).append("a", 1), List.of(), List.of(1), List.of(1, 2), List.of(2),
                new KeyValue("a1", "INBOX"), new KeyValue("a1", "Sent"), new KeyValue("a1"), new KeyValue((Object) null),
                new BinData(new byte[] {1, 2}), UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e"),
                Decimal128.ONE, new BsonTimestamp(5L), MinKey.getInstance(), MaxKey.getInstance()));
        values.add(new Document("nested", new Document("list", List.of(new Document("x", Missing.getInstance()), 3L))));
        return values;
    }

    private Object roundTrip(Object value) {
        WriteBuffer out = new WriteBuffer();
        codec.write(out, value);
        ByteBuffer in = out.getBuffer();
        in.flip();
        Object back = codec.read(in);
        assertThat(in.remaining()).as("bytes left after reading %s", value).isZero();
        return back;
    }

    @Test
    void everyValueComesBackEqualAndOfTheSameType() {
        for (Object value : samples()) {
            Object back = roundTrip(value);
            if (value == null) {
                assertThat(back).isNull();
                continue;
            }
            assertThat(back).as("%s", value).isEqualTo(value);
            if (!(value instanceof List)) {
                assertThat(back).as("%s", value).hasSameClassAs(value);
            }
            assertThat(codec.compare(value, back)).as("%s", value).isZero();
        }
    }

    @Test
    void keysAreInATotalOrderWhereOnlyEqualKeysCompareEqual() {
        List<Object> values = samples();
        for (Object a : values) {
            for (Object b : values) {
                int ab = Integer.signum(codec.compare(a, b));
                assertThat(ab).as("%s vs %s", a, b).isEqualTo(-Integer.signum(codec.compare(b, a)));
                if (a != b) {
                    assertThat(ab).as("%s vs %s", a, b).isNotZero();
                }
                for (Object c : values) {
                    if (ab < 0 && codec.compare(b, c) < 0) {
                        assertThat(codec.compare(a, c)).as("%s < %s < %s", a, b, c).isNegative();
                    }
                }
            }
        }
        // an int and a long of the same value are different keys, as they were under the byte comparison before
        assertThat(codec.compare(1, 1L)).isNotZero();
        assertThat(codec.compare(new KeyValue("a1", "INBOX"), new KeyValue("a1", "INBOX"))).isZero();
    }

    @Test
    void theMemoryEstimateCountsNestedContent() {
        // the page cache is bounded by these estimates: nested content left out would let it outgrow the heap
        String text = "x".repeat(10_000);
        Document flat = new Document("a", 1);
        Document nested = new Document("a", new Document("b", List.of(new Document("c", text))));
        assertThat(codec.getMemory(nested)).isGreaterThan(10_000).isGreaterThan(codec.getMemory(flat) + 10_000);
        assertThat(codec.getMemory(new KeyValue("a1", text))).isGreaterThan(10_000);
        assertThat(codec.getMemory(List.of(text, text))).isGreaterThan(20_000);
    }

    @Test
    void aValueThatCannotBeStoredIsRefusedClearly() {
        assertThatThrownBy(() -> codec.write(new WriteBuffer(), new Object()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object");
        ByteBuffer corrupt = ByteBuffer.wrap(new byte[] {99});
        assertThatThrownBy(() -> codec.read(corrupt)).isInstanceOf(IllegalStateException.class).hasMessageContaining("99");
    }
}
