package io.openbio.inference.document.read.mrz;

/**
 * The three ICAO 9303 machine readable zone layouts (Doc 9303 parts 4, 5 and 6): number of lines
 * and characters per line. TD3 = passport data page, TD1 = ID-1 card (back), TD2 = ID-2 card / old
 * identity cards. Machine readable visas (MRV-A / MRV-B) share TD3 / TD2 line lengths but have no
 * document-number-independent composite check digit; they are not read here (the DIS reference has
 * no visa MRZ schema).
 */
public enum MrzFormat {
    TD1(3, 30),
    TD2(2, 36),
    TD3(2, 44);

    private final int lines;
    private final int length;

    MrzFormat(int lines, int length) {
        this.lines = lines;
        this.length = length;
    }

    public int lines() {
        return lines;
    }

    /** Characters per line. */
    public int length() {
        return length;
    }

    /** The format with this many lines of this length, or null. */
    public static MrzFormat of(int lines, int length) {
        for (MrzFormat f : values()) {
            if (f.lines == lines && f.length == length) {
                return f;
            }
        }
        return null;
    }
}
