package mail.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.bson.BsonBinaryReader;
import org.bson.BsonBinaryWriter;
import org.bson.Document;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.DocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What must hold for every message: exact offsets, independence from read sizes, lossless BSON. */
class ParserPropertiesTest {

    static List<Arguments> messages() {
        return TestMessages.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void offsetsAndLineCountsMatchTheRawBytes(String name, byte[] raw) {
        ParsedMessage m = Corpus.parse(raw);
        StructureInvariants.check(raw, m);
        assertThat(m.defects()).noneMatch(d -> d.startsWith("internal-error"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void resultDoesNotDependOnHowTheStreamIsChunked(String name, byte[] raw) throws IOException {
        ParsedMessage expected = Corpus.parse(raw);
        MessageParser parser = new MessageParser();
        assertThat(parser.parse(ChunkedInputStream.oneByte(raw))).isEqualTo(expected);
        for (long seed = 1; seed <= 3; seed++) {
            assertThat(parser.parse(ChunkedInputStream.random(raw, seed))).isEqualTo(expected);
        }
        if (raw.length <= 2_000) {
            for (int split = 0; split <= raw.length; split++) {
                assertThat(parser.parse(ChunkedInputStream.splitAt(raw, split))).as("split at %d", split)
                        .isEqualTo(expected);
            }
        } else {
            for (int split : new int[] {1, 2, LineReader.BUFFER - 1, LineReader.BUFFER, LineReader.BUFFER + 1,
                raw.length / 2, raw.length - 1}) {
                assertThat(parser.parse(ChunkedInputStream.splitAt(raw, split))).as("split at %d", split)
                        .isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void bsonRoundTripIsLossless(String name, byte[] raw) {
        ParsedMessage m = Corpus.parse(raw);
        Document stored = throughBsonBytes(MessageMetadataBson.toDocument(m));
        assertThat(MessageMetadataBson.fromDocument(stored)).isEqualTo(m);
        assertSafeKeys(stored);
        assertThat(stored.getLong(MessageMetadataBson.SIZE)).isEqualTo(m.size());
        assertThat(stored.getEmbedded(List.of("search", "body"), String.class)).isEqualTo(m.search().body());
        assertThat(stored.getBoolean(MessageMetadataBson.HAS_ATTACHMENTS)).isEqualTo(m.hasAttachments());
    }

    /** Encodes to the BSON wire format and back, so types (int vs long, dates) are what MongoDB would return. */
    private static Document throughBsonBytes(Document d) {
        BasicOutputBuffer buffer = new BasicOutputBuffer();
        new DocumentCodec().encode(new BsonBinaryWriter(buffer), d, EncoderContext.builder().build());
        return new DocumentCodec().decode(new BsonBinaryReader(java.nio.ByteBuffer.wrap(buffer.toByteArray())),
                DecoderContext.builder().build());
    }

    private static void assertSafeKeys(Object value) {
        if (value instanceof Document d) {
            for (String key : d.keySet()) {
                assertThat(key).doesNotContain(".").doesNotStartWith("$");
                assertSafeKeys(d.get(key));
            }
        } else if (value instanceof List<?> list) {
            list.forEach(ParserPropertiesTest::assertSafeKeys);
        }
    }
}
