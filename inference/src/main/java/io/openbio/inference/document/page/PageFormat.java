package io.openbio.inference.document.page;

/**
 * The ICAO 9303 / ISO 7810 sizes a document page is normalised to. The normalised page has
 * {@value #PX_PER_MM_TEXT} px/mm whatever the size: ID-1 comes out 1000 x 631 px (297 dpi).
 *
 * <p>Only the outline's aspect ratio is seen in a photo, not its physical size, and ID-2 (105 x 74,
 * 1.419) and ID-3 (125 x 88, 1.420) have the same aspect ratio within 0.1 %: a photo alone cannot tell
 * them apart. {@link #nearest} therefore answers ID-1 or ID-3 (the passport data page, the common
 * larger page); a caller that knows better (a TD2 MRZ read on the page) normalises again with ID-2.
 */
public enum PageFormat {
    ID1(85.60, 53.98),
    ID2(105.0, 74.0),
    ID3(125.0, 88.0);

    static final String PX_PER_MM_TEXT = "1000 / 85.6";
    /** Resolution of every normalised page: ID-1 is 1000 px wide. */
    public static final double PX_PER_MM = 1000 / 85.60;

    private final double widthMm;
    private final double heightMm;

    PageFormat(double widthMm, double heightMm) {
        this.widthMm = widthMm;
        this.heightMm = heightMm;
    }

    public double widthMm() {
        return widthMm;
    }

    public double heightMm() {
        return heightMm;
    }

    /** Width over height (landscape), e.g. 1.586 for ID-1. */
    public double aspectRatio() {
        return widthMm / heightMm;
    }

    /** Width of the normalised page, px. */
    public int widthPx() {
        return (int) Math.round(widthMm * PX_PER_MM);
    }

    /** Height of the normalised page, px. */
    public int heightPx() {
        return (int) Math.round(heightMm * PX_PER_MM);
    }

    /**
     * The format whose aspect ratio is nearest to {@code aspect} (long side over short side) on a log
     * scale; ID-2 is never chosen (see the class documentation).
     */
    public static PageFormat nearest(double aspect) {
        double a = aspect < 1 ? 1 / aspect : aspect;
        double d1 = Math.abs(Math.log(a / ID1.aspectRatio()));
        double d3 = Math.abs(Math.log(a / ID3.aspectRatio()));
        return d1 <= d3 ? ID1 : ID3;
    }
}
