package io.openbio.processors.dis.customer;

import io.openbio.inference.ErrorCode;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.InferenceException;
import io.openbio.inference.detect.Face;
import io.openbio.inference.embed.Template;
import io.openbio.inference.image.DecodedImage;
import java.util.List;

/**
 * The largest face of an image the customer stage keeps (the selfie, a document page's portrait crop, the chip's DG2
 * portrait) as the inspections read it: its fr_feature template, its fr_age estimate and fr_gender score.
 *
 * @param template    the face's template (compared with {@link io.openbio.inference.dis.DisScores})
 * @param age         fr_age, years
 * @param genderScore fr_gender, male from {@link io.openbio.inference.attributes.FaceAttributes#MALE_ABOVE}
 */
public record InspectedFace(Template template, double age, double genderScore) {

    /**
     * The largest face found by the detector, else by the small-face path (a document portrait can be smaller than
     * the detector's minimum, as it was found on the page by that path); null when the image has none or cannot be
     * read. A model that is not there is thrown (the stage answers it as an error, never as "no face").
     */
    public static InspectedFace of(FaceAnalyzer fa, byte[] image) {
        if (image == null) {
            return null;
        }
        try {
            DecodedImage d = fa.decode(image);
            List<Face> faces = fa.detectAll(d);
            if (faces.isEmpty()) {
                faces = fa.detectSmallFaces(d);
            }
            if (faces.isEmpty()) {
                return null;
            }
            Face face = faces.get(0); // largest first
            return new InspectedFace(fa.embed(d, face), fa.attributeEstimator().age(d.image(), face),
                    fa.attributeEstimator().genderScore(d.image(), face));
        } catch (InferenceException e) {
            if (e.code() == ErrorCode.MODEL_UNAVAILABLE || e.code() == ErrorCode.CHECK_UNAVAILABLE) {
                throw e;
            }
            return null;
        }
    }

    /** M or F, as the selfie's. */
    public String gender() {
        return DisCustomerProcessor.gender(genderScore);
    }
}
