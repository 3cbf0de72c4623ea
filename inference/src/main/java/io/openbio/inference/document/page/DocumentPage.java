package io.openbio.inference.document.page;

import io.openbio.inference.image.RgbImage;

import java.util.Optional;

/**
 * The analysis of one uploaded page photo ({@code PUT .../document/pages}).
 *
 * @param errorCode {@code NO_CARD_CORNERS_DETECTED} when no outline was found or its confidence is under
 *                  {@link DocumentPageAnalyzer#MIN_CONFIDENCE}; then every other field is null / empty
 * @param detection corners, confidence, cornerOutOfImage
 * @param page      the normalised (flat, landscape) page, {@link PageFormat} size
 * @param quality   the page quality ({@code GET .../pages/{page-type}/quality})
 * @param portrait  the largest face on the page with its crop, empty when none (the API's 404)
 * @param detail    what was found, for logs and tests (no image content)
 */
public record DocumentPage(String errorCode, PageDetection detection, RgbImage page, PageQuality quality,
                           Optional<PagePortrait> portrait, String detail) {
    public static final String NO_CARD_CORNERS_DETECTED = "NO_CARD_CORNERS_DETECTED";

    public boolean found() {
        return errorCode == null;
    }

    static DocumentPage notFound(String detail) {
        return new DocumentPage(NO_CARD_CORNERS_DETECTED, null, null, null, Optional.empty(), detail);
    }
}
