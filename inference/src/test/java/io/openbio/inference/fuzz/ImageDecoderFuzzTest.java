package io.openbio.inference.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.openbio.inference.ErrorCode;
import io.openbio.inference.InferenceException;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.image.ImageDecoder;

import java.util.EnumSet;
import java.util.Set;

/**
 * Coverage-guided fuzzing (Jazzer) of the image decoder every image-taking endpoint runs on the
 * uploaded bytes ({@link ImageDecoder}, behind {@code FaceAnalyzer.decode}; decode only, no model
 * runs). Contract: for any bytes, {@link ImageDecoder#decode} returns an upright image within the
 * limits or throws an {@link InferenceException} with {@link ErrorCode#INVALID_IMAGE},
 * {@link ErrorCode#IMAGE_TRUNCATED} or {@link ErrorCode#IMAGE_TOO_LARGE} (all answered with 4xx).
 * Any other exception or error (OutOfMemoryError, a native crash, a hang) is a finding.
 *
 * <p>{@code mvn verify} replays the seeds ({@link ImageSeeds}) and stored findings under
 * {@code src/test/resources/io/openbio/inference/fuzz/ImageDecoderFuzzTestInputs/decode/};
 * {@code bench/fuzz.sh} fuzzes it with {@code JAZZER_FUZZ=1}.
 */
class ImageDecoderFuzzTest {
    /** The production decoder (FaceAnalyzer's): default pixel, side and byte limits. */
    private static final ImageDecoder DECODER = new ImageDecoder();
    private static final Set<ErrorCode> CLIENT_ERRORS =
            EnumSet.of(ErrorCode.INVALID_IMAGE, ErrorCode.IMAGE_TRUNCATED, ErrorCode.IMAGE_TOO_LARGE);

    @FuzzTest
    @DictionaryFile(resourcePath = "/io/openbio/inference/fuzz/images.dict")
    void decode(byte[] input) {
        DecodedImage image;
        try {
            image = DECODER.decode(input);
        } catch (InferenceException e) {
            if (!CLIENT_ERRORS.contains(e.code())) {
                throw new AssertionError("decode failed with a non-client error code " + e.code(), e);
            }
            return;
        }
        check(image.format() != null, "no format");
        int o = image.exifOrientation();
        check(o >= 1 && o <= 8, "orientation " + o);
        long stored = (long) image.storedWidth() * image.storedHeight();
        check(image.storedWidth() > 0 && image.storedHeight() > 0 && stored <= ImageDecoder.DEFAULT_MAX_PIXELS
                && image.storedWidth() <= ImageDecoder.DEFAULT_MAX_SIDE && image.storedHeight() <= ImageDecoder.DEFAULT_MAX_SIDE,
                "stored size " + image.storedWidth() + "x" + image.storedHeight() + " beyond the limits");
        boolean swapped = o >= 5;
        check(image.width() == (swapped ? image.storedHeight() : image.storedWidth())
                && image.height() == (swapped ? image.storedWidth() : image.storedHeight()),
                "decoded " + image.width() + "x" + image.height() + " but the header declared "
                        + image.storedWidth() + "x" + image.storedHeight() + " (orientation " + o + ")");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }
}
