package io.openbio.processors.bioserver;

import io.openbio.inference.ErrorCode;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.InferenceException;
import io.openbio.inference.detect.Face;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.image.ImageDecoder;
import io.openbio.inference.image.RgbImage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * Image to {@link CodedFace}, as the BioServer's CreateFace, CreateDirectFace and the match operations
 * need: the image's largest face (the seed: "no more than one face can be detected per image"; the
 * platform codes the largest, references CHOICE), with the small-face detector as a second try for an
 * {@code ID_DOCUMENT} image, and the image turned by 90, 180 and 270 degrees when
 * {@code imageRotationEnabled} and no face was found upright.
 */
final class FaceCoder {
    /** EXIF orientations that turn an image 90 degrees clockwise, 180, and 270 (ImageDecoder.orient). */
    private static final int[] TURNS = {6, 3, 8};
    private static final int[] DEGREES = {90, 180, 270};

    private final Supplier<FaceAnalyzer> analyzer;

    FaceCoder(Supplier<FaceAnalyzer> analyzer) {
        this.analyzer = analyzer;
    }

    FaceAnalyzer analyzer() {
        return analyzer.get();
    }

    /** The coded face, or FACE_NOT_FOUND / INVALID_IMAGE (InferenceException). */
    CodedFace code(byte[] image, String imageType, boolean rotate) {
        FaceAnalyzer models = analyzer.get();
        DecodedImage decoded = models.decode(image);
        Found found = find(models, decoded, imageType);
        for (int i = 0; found == null && rotate && i < TURNS.length; i++) {
            RgbImage turned = ImageDecoder.orient(decoded.image(), TURNS[i]);
            Found f = find(models, new DecodedImage(turned, decoded.format(), decoded.exifOrientation(), turned.width(), turned.height()),
                    imageType);
            if (f != null) {
                found = new Found(f.image(), f.face(), DEGREES[i]);
            }
        }
        if (found == null) {
            throw new InferenceException(ErrorCode.FACE_NOT_FOUND, "no face found in the image");
        }
        return new CodedFace(found.face(), models.embed(found.image(), found.face()), quality(found.face()), digest(image),
                found.rotated());
    }

    private record Found(DecodedImage image, Face face, int rotated) {
    }

    private static Found find(FaceAnalyzer models, DecodedImage image, String imageType) {
        List<Face> faces = models.detectAll(image);
        if (faces.isEmpty() && "ID_DOCUMENT".equals(imageType)) {
            faces = models.detectSmallFaces(image);
        }
        return faces.isEmpty() ? null : new Found(image, faces.get(0), 0);
    }

    /** Template quality on the seed's scale ({@link io.openbio.inference.quality.TemplateQuality}: a documented formula, not a model). */
    static double quality(Face face) {
        return io.openbio.inference.quality.TemplateQuality.of(face);
    }

    static String digest(byte[] image) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The {@code templateVersion} of this installation's templates: a number naming the template model
     * and its version (the first two bytes of SHA-256 of {@code <modelId>:<modelVersion>}), so a template
     * of another model or version is refused (the seed: newer algorithms do not take older templates).
     */
    int templateVersion() {
        FaceAnalyzer models = analyzer.get();
        return templateVersion(models.templateModelId(), models.templateModelVersion());
    }

    static int templateVersion(String modelId, String modelVersion) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((modelId + ":" + modelVersion).getBytes(StandardCharsets.UTF_8));
            return ((h[0] & 0xff) << 8) | (h[1] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
