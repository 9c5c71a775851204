package mail.message;

/**
 * Caps that keep parsing of hostile input bounded. Beyond a cap the parser never fails: deeper or further
 * parts are left as opaque body, longer header fields are cut, and the cut is recorded in the defects.
 *
 * @param maxDepth             multipart / message nesting levels parsed; a deeper container is an opaque leaf
 * @param maxParts             entities in the tree; later parts stay inside their parent's bytes unlisted
 * @param maxHeaderFieldOctets octets kept of one (unfolded) header field the parser needs; the rest is ignored
 * @param maxHeaderFields      header fields examined per entity; later fields are skipped, still as header
 * @param maxRawHeaderOctets   the top-level header section is kept verbatim when at most this long, else null
 * @param maxSearchTextChars   characters of searchable text (headers and body together)
 * @param previewChars         characters of preview (RFC 8970 suggests at most 256)
 * @param maxReferences        message ids kept in the references chain (the newest are kept)
 */
public record ParserLimits(
        int maxDepth,
        int maxParts,
        int maxHeaderFieldOctets,
        int maxHeaderFields,
        int maxRawHeaderOctets,
        int maxSearchTextChars,
        int previewChars,
        int maxReferences) {

    public static final ParserLimits DEFAULTS =
            new ParserLimits(50, 1_000, 64 * 1024, 1_000, 64 * 1024, 256 * 1024, 200, 100);

    public ParserLimits {
        if (maxDepth < 1 || maxParts < 1 || maxHeaderFieldOctets < 256 || maxHeaderFields < 1
                || maxRawHeaderOctets < 0 || maxSearchTextChars < 0 || previewChars < 0 || maxReferences < 0) {
            throw new IllegalArgumentException("parser limits out of range");
        }
    }

    public ParserLimits withMaxDepth(int depth) {
        return new ParserLimits(depth, maxParts, maxHeaderFieldOctets, maxHeaderFields, maxRawHeaderOctets,
                maxSearchTextChars, previewChars, maxReferences);
    }

    public ParserLimits withMaxParts(int parts) {
        return new ParserLimits(maxDepth, parts, maxHeaderFieldOctets, maxHeaderFields, maxRawHeaderOctets,
                maxSearchTextChars, previewChars, maxReferences);
    }

    public ParserLimits withMaxRawHeaderOctets(int octets) {
        return new ParserLimits(maxDepth, maxParts, maxHeaderFieldOctets, maxHeaderFields, octets,
                maxSearchTextChars, previewChars, maxReferences);
    }

    public ParserLimits withMaxSearchTextChars(int chars) {
        return new ParserLimits(maxDepth, maxParts, maxHeaderFieldOctets, maxHeaderFields, maxRawHeaderOctets,
                chars, previewChars, maxReferences);
    }

    public ParserLimits withMaxHeaderFields(int fields) {
        return new ParserLimits(maxDepth, maxParts, maxHeaderFieldOctets, fields, maxRawHeaderOctets,
                maxSearchTextChars, previewChars, maxReferences);
    }

    public ParserLimits withMaxHeaderFieldOctets(int octets) {
        return new ParserLimits(maxDepth, maxParts, octets, maxHeaderFields, maxRawHeaderOctets,
                maxSearchTextChars, previewChars, maxReferences);
    }
}
