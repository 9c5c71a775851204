package mail.deploy;

import java.util.Optional;

/** Image references must name a fixed version: a tag other than "latest", or a digest. */
final class Images {
    private Images() {
    }

    static Optional<String> problem(String image) {
        if (image == null || image.isBlank()) {
            return Optional.of("empty image reference");
        }
        if (image.contains("@sha256:")) {
            return Optional.empty();
        }
        int slash = image.lastIndexOf('/');
        int colon = image.indexOf(':', slash + 1);
        if (colon < 0) {
            return Optional.of(image + " has no tag (means latest)");
        }
        String tag = image.substring(colon + 1);
        if (tag.isBlank() || tag.equalsIgnoreCase("latest") || tag.contains("${")) {
            return Optional.of(image + " is not pinned (tag '" + tag + "')");
        }
        return Optional.empty();
    }
}
