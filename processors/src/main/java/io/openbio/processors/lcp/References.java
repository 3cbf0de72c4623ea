package io.openbio.processors.lcp;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.InferenceException;
import io.openbio.inference.embed.Template;

/**
 * Where a user's reference (trusted) face comes from: the built-in user store ({@link StoredReferences},
 * the compacted {@code openbio.lcp.references} read as a global store) or a remote user-details
 * provider ({@link RemoteUserDetails}, when {@code OPENBIO_LCP_USER_DETAILS_URL} is set).
 *
 * <p>{@link #resolve} answers the user's details or throws the seed's {@link LcpFailure}:
 * USER_DETAILS_MISSING (unknown user), ERROR_REMOTE (the provider failed). A known user without a
 * reference face comes back with a null image: the caller answers INITIATION_ERROR or VERIFICATION_ERROR.
 */
public interface References {

    /**
     * A user's details.
     *
     * @param userId   the user
     * @param image    the reference face image as stored or fetched (plaintext: in this process only); null for none
     * @param template its stored template (Base64, opened), null when there is none stored (a provider's image is
     *                 embedded on every use)
     * @param source   {@code store} or {@code remote}, for the audit figures
     */
    record Reference(String userId, byte[] image, String template, String source) {
        public boolean hasImage() {
            return image != null && image.length > 0;
        }
    }

    /** The details of {@code userId} of {@code tenant}; throws {@link LcpFailure} as described above. */
    Reference resolve(String tenant, String userId);

    /**
     * The template of {@code reference}'s face: the stored one when this installation's model made it,
     * else made from its image now. An image without a single usable face (none, several, too small, not
     * an image) is USER_NOT_ENROLLED: the user cannot be verified until the reference is replaced.
     */
    static Template template(FaceAnalyzer analyzer, Reference reference) {
        if (reference.template() != null) {
            try {
                return analyzer.decodeTemplate(reference.template());
            } catch (InferenceException stale) {
                // another model or version made it: make a new one from the image below
            }
        }
        try {
            return analyzer.embed(reference.image());
        } catch (InferenceException e) {
            switch (e.code()) {
                case FACE_NOT_FOUND, MULTIPLE_FACES, FACE_TOO_SMALL, INVALID_IMAGE, IMAGE_TRUNCATED, IMAGE_TOO_LARGE -> throw LcpFailure.notEnrolled();
                default -> throw e;
            }
        }
    }
}
