package io.openbio.inference.document;

import io.openbio.inference.detect.Face;
import io.openbio.inference.image.DecodedImage;

import java.util.List;

/**
 * Where the document and its portrait are in a photo.
 *
 * @param image           the decoded, upright photo
 * @param status          OK (document and portrait found), DOCUMENT_NOT_FOUND, DOCUMENT_CROPPED or
 *                        DOCUMENT_PHOTO_NOT_FOUND
 * @param quad            the document outline in image pixels (null when not found; the visible part
 *                        when cropped)
 * @param portrait        the portrait face on the document (small-face path, largest face whose centre
 *                        lies inside the quad), null when none; embed it with
 *                        {@code FaceAnalyzer.embed(doc.image(), doc.portrait())} for selfie-vs-document matching
 * @param qualityWarnings plain-measurement warnings of the document region (empty when not found)
 * @param detail          a human-readable note on the outcome
 */
public record DocumentAnalysis(DecodedImage image, DocumentStatus status, Quad quad, Face portrait,
                               List<QualityWarning> qualityWarnings, String detail) {
    public DocumentAnalysis {
        qualityWarnings = List.copyOf(qualityWarnings);
    }

    public boolean found() {
        return quad != null && status != DocumentStatus.DOCUMENT_NOT_FOUND && status != DocumentStatus.DOCUMENT_CROPPED;
    }
}
