package io.openbio.inference.document.read.mrz;

import java.util.List;

/**
 * The outcome of reading the MRZ of one page image.
 *
 * @param status     what was found
 * @param mrz        the parsed zone (null unless {@link Status#VALID} or {@link Status#INVALID_CHECK_DIGITS})
 * @param ocrLines   the text lines Tesseract read in the band, before any correction ("" lines dropped)
 * @param confidence Tesseract's mean confidence on the band, 0..1 (0 when nothing was read)
 * @param corners    the band's corners on the page (pixels, 4 points x,y), empty when no band was found
 * @param repairedCharacters characters set against the plurality of the recognisers' votes by a rule of ICAO 9303
 *                   (an issuing state / nationality that is a country code, every check digit valid), always to
 *                   a character one of the readings proposed ({@code MrzConsensus}); 0 when the vote alone gave
 *                   the zone
 */
public record MrzReading(Status status, Mrz mrz, List<String> ocrLines, double confidence, List<double[]> corners,
                         int repairedCharacters) {
    public MrzReading {
        ocrLines = List.copyOf(ocrLines);
        corners = List.copyOf(corners);
    }

    public enum Status {
        /** Parsed, every check digit valid. */
        VALID,
        /** Parsed as TD1 / TD2 / TD3 but at least one check digit does not match (misread or altered). */
        INVALID_CHECK_DIGITS,
        /** A text band was found but its text is not a TD1 / TD2 / TD3 zone. */
        UNREADABLE,
        /** No MRZ-shaped text band on the page. */
        NOT_FOUND
    }

    static MrzReading notFound() {
        return new MrzReading(Status.NOT_FOUND, null, List.of(), 0, List.of(), 0);
    }
}
